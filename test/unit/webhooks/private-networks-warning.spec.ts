import { Logger } from '@nestjs/common';
import type { AppConfig, WebhooksConfig } from '@depot/config';
import { WebhooksModule } from '@depot/webhooks';

describe('private webhook networks at boot', () => {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  afterEach(() => warn.mockClear());

  const boot = (env: AppConfig['env'], allowPrivateNetworks: boolean) =>
    new WebhooksModule({ env } as AppConfig, { allowPrivateNetworks } as WebhooksConfig).onModuleInit();

  it('warns when production lets webhooks reach private networks', () => {
    boot('production', true);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/allowPrivateNetworks is on in production/));
  });

  it('says nothing in development or when they are refused', () => {
    boot('development', true);
    boot('production', false);
    expect(warn).not.toHaveBeenCalled();
  });
});
