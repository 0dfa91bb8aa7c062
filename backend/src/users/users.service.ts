import {
  BadRequestException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  COUNTRY_BY_NAT,
  NATIONALITIES,
  type StoredUser,
  UserApiErrorCode,
  type UserDetail,
  type UserReadQuery,
  type LineageStage,
  type UserLineage,
  type UserPage,
  type UserSearchFilters,
  type UserSearchQuery,
  type UserStats,
  type UserStatsGroup,
  USER_STATS_MAX_BUCKETS,
} from '@userstream/contracts';
import { maskStoredUser } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import { toStoredUser } from './user-row.js';
import { InvalidCursorError, UserCursorSigner } from './user-cursor.js';
import {
  InvalidPageStateError,
  type TalliedColumn,
  type UserFilter,
  UsersRepository,
  UsersStoreUnavailableError,
} from './users.repository.js';

/**
 * Values always listed in the stats, even at zero: what the pipeline produces. Synthetic users and randomuser.me
 * 1.4 take their country from COUNTRY_BY_NAT, older API versions get it from the nationality. The tally sees
 * every stored value anyway, so anything else shows up as its own bucket too.
 */
const KNOWN_VALUES: Record<TalliedColumn, readonly string[]> = {
  country: Object.values(COUNTRY_BY_NAT),
  gender: ['female', 'male'],
  nat: NATIONALITIES,
};

const userNotFound = (id: string) =>
  new NotFoundException({ code: UserApiErrorCode.userNotFound, message: `no user with id ${id}` });

@Injectable()
export class UsersService {
  private readonly cursors: UserCursorSigner;
  /** Concurrent stats requests share one computation (dashboards poll it). */
  private statsInFlight: Promise<UserStats> | undefined;

  constructor(
    config: AppConfig,
    private readonly users: UsersRepository,
  ) {
    this.cursors = new UserCursorSigner(config.users.cursorSecret);
  }

  /** One user, personal fields masked unless an admin asked (the guard checked `unmasked`). */
  async findById(id: string, { unmasked }: UserReadQuery): Promise<UserDetail> {
    const row = await this.users.findById(id);
    if (!row) {
      throw userNotFound(id);
    }
    return { ...served(toStoredUser(row), unmasked), masked: !unmasked };
  }

  async lineage(id: string): Promise<UserLineage> {
    const found = await this.users.findWithStoredAt(id);
    if (!found) {
      throw userNotFound(id);
    }
    const { row, storedAt } = found;
    const times: [LineageStage, Date | null][] = [
      ['fetched', row.fetchedAt],
      ['produced', row.ingestedAt],
      ['processed', row.processedAt],
      ['stored', storedAt],
    ];
    const recorded = times.flatMap(([, at]) => (at ? [at.getTime()] : []));
    let previous: number | undefined;
    const stages = times.map(([stage, at]) => {
      const time = at?.getTime();
      const sincePreviousMs = time !== undefined && previous !== undefined ? time - previous : null;
      previous = time ?? previous;
      return { stage, at: at?.toISOString() ?? null, sincePreviousMs };
    });
    return {
      userId: row.id,
      runId: row.runId,
      source: row.source,
      kafka:
        row.kafkaTopic !== null && row.kafkaPartition !== null && row.kafkaOffset !== null
          ? { topic: row.kafkaTopic, partition: row.kafkaPartition, offset: row.kafkaOffset }
          : null,
      stages,
      totalMs: recorded.length > 0 ? recorded[recorded.length - 1]! - recorded[0]! : null,
    };
  }

  /**
   * A page of users, personal fields masked unless an admin asked. Filters on personal fields are the guard's
   * to refuse to anyone else (`PERSONAL_USER_FILTERS`). `unmasked` is not a filter: a cursor serves both views.
   */
  async search(query: UserSearchQuery): Promise<UserPage> {
    const { limit, cursor, unmasked, ...filters } = query;
    const pageState = cursor === undefined ? undefined : this.verifyCursor(cursor, filters);
    try {
      const page = await this.users.search(toUserFilter(filters), limit, pageState);
      return {
        items: page.rows.map((row) => served(toStoredUser(row), unmasked)),
        masked: !unmasked,
        nextCursor: page.pageState ? this.cursors.sign(page.pageState, filters) : null,
      };
    } catch (error) {
      if (error instanceof InvalidPageStateError) {
        throw invalidCursor('the cursor is no longer usable');
      }
      throw unavailable(error);
    }
  }

  stats(): Promise<UserStats> {
    this.statsInFlight ??= this.computeStats()
      .catch((error: unknown) => {
        throw unavailable(error);
      })
      .finally(() => {
        this.statsInFlight = undefined;
      });
    return this.statsInFlight;
  }

  private async computeStats(): Promise<UserStats> {
    const { total, counts } = await this.users.tally();
    const group = (column: TalliedColumn): UserStatsGroup => {
      const byValue = new Map<string, number>(KNOWN_VALUES[column].map((value) => [value, 0]));
      for (const [value, count] of counts[column]) {
        if (value !== null) {
          byValue.set(value, count);
        }
      }
      const buckets = [...byValue]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      const kept = buckets.slice(0, USER_STATS_MAX_BUCKETS);
      const other = buckets.slice(USER_STATS_MAX_BUCKETS).reduce((sum, bucket) => sum + bucket.count, 0);
      return { buckets: kept, other, none: counts[column].get(null) ?? 0 };
    };
    return {
      total,
      byCountry: group('country'),
      byGender: group('gender'),
      byNationality: group('nat'),
      computedAt: new Date().toISOString(),
    };
  }

  private verifyCursor(cursor: string, filters: UserSearchFilters): Buffer {
    try {
      return this.cursors.verify(cursor, filters);
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw invalidCursor(error.message);
      }
      throw error;
    }
  }
}

/** Viewers and operators, and admins who did not ask, get personal fields masked. */
const served = (user: StoredUser, unmasked: boolean): StoredUser => (unmasked ? user : maskStoredUser(user));

/** Cassandra not answering is a 503 the client may retry, not a 500; anything else stays as it is. */
function unavailable(error: unknown): unknown {
  if (!(error instanceof UsersStoreUnavailableError)) {
    return error;
  }
  return new ServiceUnavailableException({
    code: UserApiErrorCode.storeUnavailable,
    message:
      'Cassandra cannot answer right now (down, overloaded, or an index still building); retry shortly',
  });
}

function invalidCursor(reason: string): BadRequestException {
  return new BadRequestException({
    code: UserApiErrorCode.invalidCursor,
    message: `Invalid cursor: ${reason}; start again without a cursor`,
  });
}

function toUserFilter(filters: UserSearchFilters): UserFilter {
  const { registeredFrom, registeredTo, ...rest } = filters;
  return {
    ...rest,
    ...(registeredFrom === undefined ? {} : { registeredFrom: new Date(registeredFrom) }),
    ...(registeredTo === undefined ? {} : { registeredTo: new Date(registeredTo) }),
  };
}
