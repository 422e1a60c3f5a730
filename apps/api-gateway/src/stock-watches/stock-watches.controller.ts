import { Body, Controller, Delete, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedAccount } from '../auth/authenticated-request';
import { CurrentAccount } from '../auth/current-account.decorator';
import { ErrorDto } from '../numbers/phone-numbers.dto';
import { ApiKeyEndpoints } from '../openapi/api-key-endpoints.decorator';
import { StockWatchDeletedDto, StockWatchDto, StockWatchListDto } from './stock-watches.dto';
import { CreateStockWatchBodyDto, StockWatchIdParamsDto } from './stock-watches.params';
import { StockWatchesService } from './stock-watches.service';

/** Stock watches (SDK `createPhoneNumberStockWatch`, `listPhoneNumberStockWatches`, `deletePhoneNumberStockWatch`). */
@ApiKeyEndpoints('phone-numbers')
@Controller('v1/phone-numbers/stock-watches')
export class StockWatchesController {
  constructor(private readonly watches: StockWatchesService) {}

  @Post()
  @ApiOperation({
    summary: 'Watch a country (a number type, an area) for stock',
    description:
      'phone_number.stock_available is sent once, to the webhooks subscribed to it, when the carrier has numbers again; then the ' +
      'watch ends. The same country, type and area again answers the existing watch (200).',
  })
  @ApiCreatedResponse({ type: StockWatchDto, description: 'A new watch' })
  @ApiOkResponse({ type: StockWatchDto, description: 'The account already watches this: that watch' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field, or a country we do not sell in (param names it)' })
  @ApiConflictResponse({ type: ErrorDto, description: 'STOCK_WATCH_LIMIT_REACHED: the account holds 100 watches' })
  async create(
    @CurrentAccount() account: AuthenticatedAccount,
    @Body() body: CreateStockWatchBodyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { watch, created } = await this.watches.create(account.accountId, body);
    reply.status(created ? 201 : 200);
    return watch;
  }

  @Get()
  @ApiOperation({ summary: "The account's open stock watches, oldest first" })
  @ApiOkResponse({ type: StockWatchListDto })
  list(@CurrentAccount() account: AuthenticatedAccount) {
    return this.watches.list(account.accountId);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Stop watching' })
  @ApiOkResponse({ type: StockWatchDeletedDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'id is not an id' })
  @ApiNotFoundResponse({ type: ErrorDto, description: "Unknown, already ended, or another account's watch" })
  delete(@CurrentAccount() account: AuthenticatedAccount, @Param() params: StockWatchIdParamsDto) {
    return this.watches.delete(account.accountId, params.id);
  }
}
