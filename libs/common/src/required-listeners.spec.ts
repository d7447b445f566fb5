import { Injectable, Module } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { DomainEvent } from './domain-events';
import { requireListeners } from './required-listeners';

@Injectable()
class SubmitListener {
  @OnEvent(DomainEvent.EntrySubmitting)
  onSubmitting(): void {}
}

@Module({ providers: [SubmitListener] })
class ListeningModule {}

async function boot(withListener: boolean) {
  const ref = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot(), ...(withListener ? [ListeningModule] : [])],
    providers: [requireListeners(DomainEvent.EntrySubmitting)],
  }).compile();
  const app = ref.createNestApplication();
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

describe('requireListeners', () => {
  it('fails the boot when no module listens to a required event', async () => {
    await expect(boot(false)).rejects.toThrow('no listener for required domain events: entry.submitting');
  });

  it('boots when the listening module is imported', async () => {
    await expect(boot(true)).resolves.toBeUndefined();
  });
});
