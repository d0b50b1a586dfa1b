import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { TenantPrincipal } from '@depot/tenancy';
import { WebhookEndpointsService } from '@depot/webhooks';
import { CurrentTenant, RequireScopes } from '../http/auth.decorators';
import { PageQueryDto } from '../http/pagination.dto';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import { ResourceIdPipe } from '../http/resource-id.pipe';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryDto,
  DeliveryPageDto,
  WebhookDto,
  WebhookListDto,
} from './webhooks.dto';

const WEBHOOK_ID = new ResourceIdPipe('webhook');

/** A tenant's webhook endpoints and their deliveries. Another tenant's endpoint is a 404. */
@ApiTags('webhooks')
@RequireScopes('webhooks:manage')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook endpoint.',
    description:
      'Depot POSTs each subscribed event to `url` as JSON `{id, type, createdAt, data}`, signed in ' +
      '`Depot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with `Depot-Event` ' +
      'and `Depot-Delivery`. A 2xx within `webhooks.timeoutMs` is success; anything else (redirects included) ' +
      'is retried with exponential backoff and jitter, up to `webhooks.maxAttempts`. The response carries the ' +
      'signing secret, once. A tenant has at most `webhooks.maxEndpointsPerTenant` endpoints (10 by default): ' +
      'past that, 409.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiProblems(400, [
    409,
    'The tenant has `webhooks.maxEndpointsPerTenant` endpoints already.',
    'limitReached',
  ])
  async create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookDto> {
    const webhook = await this.endpoints.create(tenant.tenantId, body);
    return { ...WebhookDto.from(webhook), secret: webhook.secret };
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's webhook endpoints (never their secrets), newest first." })
  @ApiOkResponse({ type: WebhookListDto })
  async list(@CurrentTenant() tenant: TenantPrincipal): Promise<WebhookListDto> {
    const webhooks = await this.endpoints.list(tenant.tenantId);
    return { items: webhooks.map((webhook) => WebhookDto.from(webhook)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint and its deliveries; deliveries not yet sent are dropped.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(404)
  async remove(@CurrentTenant() tenant: TenantPrincipal, @Param('id', WEBHOOK_ID) id: string): Promise<void> {
    if (!(await this.endpoints.remove(tenant.tenantId, id))) throw notFound('webhook');
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "An endpoint's deliveries, newest first, each with every attempt's outcome." })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblems(400, 404)
  async deliveries(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', WEBHOOK_ID) id: string,
    @Query() query: PageQueryDto,
  ): Promise<DeliveryPageDto> {
    const page = await this.endpoints.deliveriesOf(tenant.tenantId, id, query);
    if (!page) throw notFound('webhook');
    return { items: page.items.map((delivery) => DeliveryDto.from(delivery)), nextCursor: page.nextCursor };
  }
}
