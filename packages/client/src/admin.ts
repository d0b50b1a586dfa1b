import type { Transport } from './transport.js';
import type {
  ApiKey,
  CreatedApiKey,
  QueueCounts,
  QueueName,
  RetriedJobs,
  SchedulerRun,
  Scope,
  Tenant,
  TenantChanges,
} from './types.js';

/** The operator's calls: they need the admin key. */
export class AdminApi {
  readonly tenants: TenantsAdmin;
  readonly keys: KeysAdmin;
  readonly queues: QueuesAdmin;
  readonly scheduler: SchedulerAdmin;

  constructor(transport: Transport) {
    this.tenants = new TenantsAdmin(transport);
    this.keys = new KeysAdmin(transport);
    this.queues = new QueuesAdmin(transport);
    this.scheduler = new SchedulerAdmin(transport);
  }
}

export class TenantsAdmin {
  constructor(private readonly transport: Transport) {}

  create(name: string): Promise<Tenant> {
    return this.transport.data(this.transport.api.POST('/v1/tenants', { body: { name } }));
  }

  /** Renames the tenant or sets its quota (`null` removes a cap); only what is given changes. */
  update(tenantId: string, body: TenantChanges): Promise<Tenant> {
    return this.transport.data(
      this.transport.api.PATCH('/v1/tenants/{tenantId}', { params: { path: { tenantId } }, body }),
    );
  }

  /** Every tenant, page after page. */
  async *list(query: { limit?: number } = {}): AsyncGenerator<Tenant, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.transport.data(
        this.transport.api.GET('/v1/tenants', { params: { query: { ...query, cursor } } }),
      );
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

export class KeysAdmin {
  constructor(private readonly transport: Transport) {}

  /** Issues a key with exactly the scopes given; the answer's `key` is shown only here. */
  create(tenantId: string, body: { name: string; scopes: Scope[] }): Promise<CreatedApiKey> {
    return this.transport.data(
      this.transport.api.POST('/v1/tenants/{tenantId}/api-keys', { params: { path: { tenantId } }, body }),
    );
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const list = await this.transport.data(
      this.transport.api.GET('/v1/tenants/{tenantId}/api-keys', { params: { path: { tenantId } } }),
    );
    return list.items;
  }

  /** The key is refused from then on. */
  revoke(id: string): Promise<void> {
    return this.transport.done(this.transport.api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } }));
  }
}

export class QueuesAdmin {
  constructor(private readonly transport: Transport) {}

  async counts(): Promise<QueueCounts[]> {
    return (await this.transport.data(this.transport.api.GET('/v1/admin/queues'))).items;
  }

  retryFailed(name: QueueName): Promise<RetriedJobs> {
    return this.transport.data(
      this.transport.api.POST('/v1/admin/queues/{name}/retry-failed', { params: { path: { name } } }),
    );
  }
}

export class SchedulerAdmin {
  constructor(private readonly transport: Transport) {}

  async runs(query: { task?: SchedulerRun['task']; limit?: number } = {}): Promise<SchedulerRun[]> {
    return (
      await this.transport.data(this.transport.api.GET('/v1/admin/scheduler/runs', { params: { query } }))
    ).items;
  }
}
