import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@app/auth';
import { DATABASE_CHECK_TIMEOUT_MS, QueueHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly queues: QueueHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    // The checks run side by side, each bounded: /health answers within the longest of their bounds.
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: DATABASE_CHECK_TIMEOUT_MS }),
      () => this.queues.redis(),
      () => this.queues.queueCounts(),
    ]);
  }
}
