import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  carrierAddressReference,
  carrierDocumentReference,
  carrierRequirementValues,
  matchCarrierRequirements,
  type CarrierRequirementMatch,
  type KycAddressInput,
  type KycRequirement,
  type KycSubmission,
  type RequirementValue,
} from '@numbers/domain';
import { GiveUpError } from '@numbers/messaging';
import { KycDocumentRepository, type PhoneNumber } from '@numbers/persistence';
import { CARRIER_GATEWAY, type CarrierGateway } from '@numbers/providers';
import { CarrierRequirementsCatalog } from './carrier-requirements.catalog';

/**
 * A number's KYC as the carrier's requirement group references it: under the carrier's own
 * requirement ids (`CarrierRequirementsCatalog`), the address as an address created at the
 * carrier, each document as a document uploaded to it. Every creation is looked up first by a
 * customer reference of its own (the number and the address's content; our document id) and sent
 * with an idempotency key, so a run that died after the carrier created something and before
 * anything recorded it finds it instead of creating a second. Called outside any transaction.
 */
@Injectable()
export class CarrierKycReferences {
  private readonly logger = new Logger(CarrierKycReferences.name);

  constructor(
    private readonly catalog: CarrierRequirementsCatalog,
    private readonly documents: KycDocumentRepository,
    @Inject(CARRIER_GATEWAY) private readonly carrier: CarrierGateway,
  ) {}

  /** How the form's fields answer what the carrier asks today for the number's country and type. */
  async matchOf(number: PhoneNumber, fields: KycRequirement[]): Promise<CarrierRequirementMatch> {
    const match = matchCarrierRequirements(fields, await this.catalog.orderingRequirements(number.country, number.numberType));
    if (match.unanswered.length > 0) {
      this.logger.warn({ numberId: number.id, unanswered: match.unanswered.map((r) => `${r.name} (${r.id})`) }, 'the carrier asks for requirements our form does not collect');
    }
    return match;
  }

  /**
   * The requirement values of the fields given (all of the form, or the corrected ones), the
   * address and documents among them created at the carrier first.
   */
  async values(number: PhoneNumber, fields: KycRequirement[], submission: KycSubmission, match: CarrierRequirementMatch): Promise<RequirementValue[]> {
    const asked = fields.filter((field) => match.carrierIdOf[field.requirementId] !== undefined);
    const addressId = asked.some((field) => field.kind === 'address') && submission.address ? await this.address(number.id, submission.address) : null;
    const documentIds: Record<string, string> = {};
    for (const field of asked.filter((f) => f.kind === 'file')) {
      const ours = submission.documents[field.requirementId];
      if (ours && !documentIds[ours]) documentIds[ours] = await this.document(ours);
    }
    return carrierRequirementValues(asked, submission, match, { addressId, documentIds });
  }

  private address(numberId: string, address: KycAddressInput): Promise<string> {
    const customerReference = carrierAddressReference(numberId, address);
    return this.carrier.createAddress(
      {
        customerReference,
        countryCode: (address.country_code ?? '').toUpperCase(),
        businessName: address.business_name?.trim() || null,
        firstName: address.first_name?.trim() || null,
        lastName: address.last_name?.trim() || null,
        streetAddress: address.street_address ?? '',
        extendedAddress: address.extended_address?.trim() || null,
        locality: address.locality ?? '',
        administrativeArea: address.administrative_area?.trim() || null,
        postalCode: address.postal_code?.trim() || null,
      },
      `carrier-address-${customerReference}`,
    );
  }

  private async document(documentId: string): Promise<string> {
    const stored = await this.documents.read(documentId);
    // Erased by retention: nothing can be sent, and no retry will bring it back.
    if (!stored) throw new GiveUpError(`KYC document ${documentId} is no longer stored`);
    return this.carrier.uploadDocument(
      { customerReference: carrierDocumentReference(documentId), filename: stored.filename, content: stored.content },
      `carrier-document-${documentId}`,
    );
  }
}

/** What `RegulatoryReview` needs besides its own dependencies, for the module and the test beds that build it. */
export const CARRIER_KYC_PROVIDERS = [CarrierRequirementsCatalog, CarrierKycReferences, KycDocumentRepository];
