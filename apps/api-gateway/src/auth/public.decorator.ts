import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'numbers:isPublic';

/** A route that needs no API key (health). Every other controller route requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
