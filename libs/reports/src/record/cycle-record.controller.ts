import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DisposalListDto } from '../dto/record.response';
import type { Response } from 'express';
import { CurrentActor, Roles } from '@app/auth';
import { attachmentDisposition, IdPipe } from '@app/common';
import type { Actor } from '@app/domain';
import { CycleRecordService } from './cycle-record.service';
import { RecordDisposalService } from './record-disposal.service';
import { DisposalQueryDto } from '../dto/report-query.dto';
import { streamTo } from '../stream-response';

/** The record (公文書) of a closed cycle and the list of records due for disposal, for the planning division. */
@ApiTags('records')
@ApiBearerAuth()
@Roles('planning', 'admin')
@Controller()
export class CycleRecordController {
  constructor(
    private readonly records: CycleRecordService,
    private readonly disposal: RecordDisposalService,
  ) {}

  @Get('cycles/:id/record.zip')
  @ApiProduces('application/zip')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async record(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    const record = await this.records.prepare(id, actor); // 404/409 and print failures before any byte
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', attachmentDisposition(record.fileName, `cycle-${id}-record.zip`));
    await streamTo(res, () => this.records.stream(record, res));
  }

  @Get('records/disposal')
  @ApiOkResponse({ type: DisposalListDto })
  disposalList(@Query() q: DisposalQueryDto) {
    return this.disposal.list(q.asOf);
  }
}
