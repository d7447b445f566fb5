import { ApiProperty } from '@nestjs/swagger';
import { SESSION_METHODS } from '@app/domain';
import { ActorDto, ApiBoolean, ApiDateTime, ApiEnum, ApiNullableString, ApiNumber, ApiObject, ApiString } from '@app/common';

/** POST /auth/login, POST /auth/oidc/exchange. */
export class SignedInDto {
  @ApiString() accessToken: string;
  @ApiObject(() => ActorDto) actor: ActorDto;
}

export class LoginResultDto extends SignedInDto {
  @ApiBoolean('the UI asks for a new password at once (every other call answers 403 until then)') passwordChangeRequired: boolean;
}

/** GET /auth/me: who is signed in. */
export class MeDto extends ActorDto {
  @ApiBoolean() passwordChangeRequired: boolean;
  @ApiNumber("the municipalities of the user's tenant (a prefecture's; 0 for a municipality): what it distributes shared templates to")
  municipalities: number;
}

/** A new token for this session (the user's other sessions are ended). */
export class AccessTokenDto {
  @ApiString() accessToken: string;
}

/** A live session (ログイン中の端末). */
export class SessionDto {
  @ApiString() id: string;
  @ApiEnum(SESSION_METHODS, 'SessionMethod') method: string;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() lastSeenAt: string;
  @ApiDateTime() expiresAt: string;
  @ApiNullableString() userAgent: string | null;
  @ApiNullableString() clientAddress: string | null;
  @ApiBoolean('the session of the request that asked') current: boolean;
}

/** GET /auth/oidc: whether sign-in through the municipality's identity provider is offered. */
export class OidcStatusDto {
  @ApiProperty({ type: Boolean }) enabled: boolean;
}
