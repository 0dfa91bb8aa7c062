import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiToken, ApiTokenList, CreatedToken, CreateTokenRequest, Me } from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { AuthService } from './auth.service.js';
import { CurrentPrincipal, type Principal } from './principal.js';
import { RequiresRole } from './roles.decorator.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('me')
  @ApiOperation({ summary: 'Who the token belongs to, its role and the auth mode (any valid token)' })
  @ApiOkResponse({ schema: zodSchema(Me) })
  me(@CurrentPrincipal() principal: Principal): Me {
    return { name: principal.name, role: principal.role, mode: this.auth.mode };
  }

  @Post('tokens')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Create an API token; its secret is in this answer only (admin)' })
  @ApiBody({ schema: zodSchema(CreateTokenRequest) })
  @ApiOkResponse({ schema: zodSchema(CreatedToken) })
  create(
    @Body(new ZodValidationPipe(CreateTokenRequest)) body: z.infer<typeof CreateTokenRequest>,
  ): Promise<CreatedToken> {
    return this.auth.create(body);
  }

  @Get('tokens')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Every API token, newest first, without secrets (admin)' })
  @ApiOkResponse({ schema: zodSchema(ApiTokenList) })
  list(): Promise<ApiTokenList> {
    return this.auth.list();
  }

  @Delete('tokens/:id')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Revoke an API token (admin); effective everywhere within 5 s' })
  @ApiOkResponse({ schema: zodSchema(ApiToken) })
  revoke(@Param('id', uuid) id: string): Promise<ApiToken> {
    return this.auth.revoke(id);
  }
}
