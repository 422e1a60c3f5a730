// OpenAPI descriptions of the stock-watch responses. Documentation only: the wire shapes are built
// by the presenter and follow the `@zernio/node` SDK's `PhoneNumberStockWatch`.
import { ApiProperty } from '@nestjs/swagger';
import { STOCK_NUMBER_TYPES } from '@numbers/domain';

export class StockWatchDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'GB' }) country!: string;
  @ApiProperty({ example: 'United Kingdom' }) countryName!: string;
  @ApiProperty({ enum: STOCK_NUMBER_TYPES, nullable: true, description: 'null: every type in the country' }) numberType!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null: every area' }) areaCode!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class StockWatchListDto {
  @ApiProperty({ type: [StockWatchDto] }) watches!: StockWatchDto[];
}

export class StockWatchDeletedDto {
  @ApiProperty({ example: true }) deleted!: boolean;
}
