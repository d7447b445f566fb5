import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginRateLimitGuard } from './login-rate-limit.guard';
import { PasswordHasher } from './password-hasher';
import { RateLimiter } from './rate-limiter';

@Global()
@Module({
  imports: [
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
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, RateLimiter, LoginRateLimitGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, PasswordHasher],
})
export class AuthModule {}
