import { Module } from '@nestjs/common';
import { OrgPostsService } from './org-posts.service';

/** Posts only (no controllers, no auth): what the worker needs to apply a 人事異動. */
@Module({ providers: [OrgPostsService], exports: [OrgPostsService] })
export class OrgPostsModule {}
