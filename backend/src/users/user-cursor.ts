import { CursorSigner } from '#src/common/index.js';

export { type CursorFilters, InvalidCursorError } from '#src/common/index.js';

/**
 * Paging cursors of the users search: Cassandra's page state, signed with the search's filters. The page size
 * may change between pages: it is not part of the position.
 */
export class UserCursorSigner extends CursorSigner {
  constructor(secret: string) {
    super(secret, 'userstream:users-cursor:v1');
  }
}
