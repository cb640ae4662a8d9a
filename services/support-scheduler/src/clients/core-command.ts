import { CoreCommandClient } from '@edgex-ts/client';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import type { Registry } from '@edgex-ts/runtime';

const CORE_COMMAND = 'core-command';

/**
 * core-command's gRPC client, found through the registry (Clients.core-command, or Consul) on every use so a
 * core-command that moves is followed; the client is kept while its address stays the same.
 */
export class CoreCommandSource {
  private current: { address: string; client: CoreCommandClient } | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly callTimeoutMs: number,
  ) {}

  async client(): Promise<CoreCommandClient> {
    let address: string;
    try {
      const ep = await this.registry.resolve(CORE_COMMAND);
      address = `${ep.host}:${ep.grpcPort}`;
    } catch (err) {
      throw new EdgeXError('ServiceUnavailable', `core-command cannot be found: ${errorMessage(err)}`, err);
    }
    if (this.current?.address !== address) {
      this.current?.client.close();
      this.current = { address, client: new CoreCommandClient(address, { callTimeoutMs: this.callTimeoutMs }) };
    }
    return this.current.client;
  }

  close(): void {
    this.current?.client.close();
    this.current = undefined;
  }
}
