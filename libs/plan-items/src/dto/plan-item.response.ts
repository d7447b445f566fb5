import { PLAN_KINDS } from '@app/domain';
import {
  ApiArray,
  ApiDateTime,
  ApiEnum,
  ApiNullableNumber,
  ApiNullableString,
  ApiNumber,
  ApiRecord,
  ApiString,
  ApiStrings,
  FormFieldViewDto,
  KpiDefinitionDto,
} from '@app/common';

export class PlanDto {
  @ApiNumber() id: number;
  @ApiString() code: string;
  @ApiString() name: string;
  @ApiEnum(PLAN_KINDS, 'PlanKind') kind: string;
  @ApiArray(() => FormFieldViewDto, "the plan's item attributes, which a template's rules may read as item.<key>") itemFields: FormFieldViewDto[];
  @ApiNumber() version: number;
  @ApiDateTime() createdAt: string;
  @ApiNumber() itemCount: number;
}

/** A section responsible for the item (所管課), with its own content and target date. */
export class ItemSectionViewDto {
  @ApiNumber() sectionId: number;
  @ApiString() sectionCode: string;
  @ApiString() sectionName: string;
  @ApiNullableString() content: string | null;
  @ApiNullableString() targetDateText: string | null;
  @ApiNumber() sort: number;
}

export class ItemKpiViewDto extends KpiDefinitionDto {
  @ApiNumber() sort: number;
}

export class ItemDto {
  @ApiNumber() id: number;
  @ApiNumber() planId: number;
  @ApiNumber() number: number;
  @ApiString() subNumber: string;
  @ApiNullableString() chapter: string | null;
  @ApiNullableString() category: string | null;
  @ApiString() title: string;
  @ApiNullableString() content: string | null;
  @ApiNullableString() targetDateText: string | null;
  @ApiNullableNumber() evaluatorUserId: number | null;
  @ApiNullableNumber() budgetThousandYen: number | null;
  @ApiArray(() => ItemSectionViewDto) sections: ItemSectionViewDto[];
  @ApiArray(() => ItemKpiViewDto) kpis: ItemKpiViewDto[];
  @ApiRecord("values of the plan's item attributes") attributes: Record<string, unknown>;
  @ApiRecord('values of attributes the plan no longer has, kept') retiredAttributes: Record<string, unknown>;
  @ApiNumber() version: number;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

export class ItemImportResultDto {
  @ApiNumber() created: number;
  @ApiNumber() updated: number;
  @ApiNumber() unchanged: number;
  @ApiNumber() total: number;
  @ApiStrings('columns of the file that are not item fields') ignoredColumns: string[];
}
