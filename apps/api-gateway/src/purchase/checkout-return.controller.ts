import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * Where Stripe Checkout sends the buyer's browser back (the session's success and cancel URLs):
 * a plain page, no API key. What happens to the number is decided by Stripe's webhooks, never
 * by these visits.
 */
@ApiExcludeController()
@Public()
@Controller('checkout')
export class CheckoutReturnController {
  @Get('success')
  @Header('content-type', 'text/html; charset=utf-8')
  success(): string {
    return page('Payment received', 'Your phone number is being provisioned. Its status is in the API: GET /v1/whatsapp/phone-numbers.');
  }

  @Get('cancel')
  @Header('content-type', 'text/html; charset=utf-8')
  cancel(): string {
    return page('Checkout cancelled', 'Nothing was charged. The checkout link stays valid until it expires.');
  }
}
