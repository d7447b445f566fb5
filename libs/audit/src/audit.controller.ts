import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/auth/auth.decorators';
import { AuditChainService } from './audit-chain.service';
import { ChainReportDto } from './dto/audit.response';

/** The audit log's integrity, for administrators. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly chain: AuditChainService) {}

  /** Recomputes the hash chain over every row; ok false names the first broken link. */
  @Get('verify')
  @ApiOkResponse({ type: ChainReportDto })
  @Roles('admin')
  verify() {
    return this.chain.verify();
  }
}
