import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
// By file path: the org barrel loads OrgModule, which imports this lib.
import { OrgDirectoryModule } from '@app/org/directory/org-directory.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginRateLimitGuard } from './login-rate-limit.guard';
import { OidcController } from './oidc/oidc.controller';
import { OidcService } from './oidc/oidc.service';
import { PasswordChangeGuard } from './password-change.guard';
import { PasswordHasher } from './password-hasher';
import { RateLimiter } from './rate-limiter';
import { SessionsService } from './sessions.service';

@Global()
@Module({
  imports: [
    OrgDirectoryModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to
        // parse it as a public key on every verify, which was a tenth of the api's CPU per request.
        secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as string,
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_EXPIRES_IN as never },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, OidcController],
  // Global guards run in this order: PasswordChangeGuard reads the actor AuthGuard loaded.
  providers: [
    AuthService,
    PasswordHasher,
    SessionsService,
    OidcService,
    RateLimiter,
    LoginRateLimitGuard,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: PasswordChangeGuard },
  ],
  exports: [AuthService, PasswordHasher, SessionsService],
})
export class AuthModule {}
