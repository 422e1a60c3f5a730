import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@numbers/domain';
import { NumberProfileRepository } from '@numbers/persistence';

/** The SDK's `MoveWhatsAppNumberToProfileResponse`. */
export interface MoveToProfileAnswer {
  message: string;
  profileId: string;
  /** Absent when the number was already on the profile. */
  movedPlatforms?: string[];
}

/**
 * `PATCH /v1/whatsapp/phone-numbers/{id}/profile {profileId}`: the number goes to another profile
 * of the same account (another account's number or profile is a 404, as if unknown), recorded in
 * its history with the request id. A hosted number is one WhatsApp account: that is what travels.
 */
@Injectable()
export class MoveNumberToProfileUseCase {
  constructor(private readonly profiles: NumberProfileRepository) {}

  async execute(accountId: string, numberId: string, profileId: string, requestId: string): Promise<MoveToProfileAnswer> {
    const outcome = await this.profiles.move({ accountId, numberId, profileId, cause: `request ${requestId}`, actor: 'customer' });
    switch (outcome.kind) {
      case 'number_not_found':
        throw notFound('Phone number');
      case 'profile_not_found':
        throw notFound('Profile');
      case 'released':
        throw new DomainError('NUMBER_RELEASED', 'A released number cannot be moved');
      case 'already_there':
        return { message: 'The number is already on this profile', profileId: outcome.profileId };
      case 'moved':
        return { message: 'Number moved to the profile', profileId: outcome.profileId, movedPlatforms: ['whatsapp'] };
    }
  }
}
