import { Module } from '@nestjs/common';
import { CyclesController } from './cycles.controller';
import { CyclesModule } from './cycles.module';
import { TemplatesController } from './templates.controller';

/** The HTTP surface of cycles, imported by the api app only. */
@Module({
  imports: [CyclesModule],
  controllers: [TemplatesController, CyclesController],
})
export class CyclesApiModule {}
