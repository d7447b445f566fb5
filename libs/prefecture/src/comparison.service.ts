import { Injectable } from '@nestjs/common';
import { TenantsService } from '@app/database';
import { PublishedReportsService } from '@app/reports';
import { Comparison, compareMunicipalities } from './domain/comparison';

/**
 * The prefecture's comparison of its municipalities (GET /prefecture/comparison): their
 * publications of a shared template code, counted in the database (PublishedReportsService,
 * through the policy prefecture_read), beside the list of its municipalities (TenantsService).
 * Nothing of a municipality outside the prefecture is visible to the query at all.
 */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly published: PublishedReportsService,
  ) {}

  async compare(code: string, periodKey?: string): Promise<Comparison> {
    const municipalities = await this.tenants.municipalities();
    const publications = await this.published.ofMunicipalities(code);
    return compareMunicipalities(code, municipalities, publications, periodKey);
  }
}
