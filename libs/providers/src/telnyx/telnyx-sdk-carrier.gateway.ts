import type Telnyx from 'telnyx';
import type { AvailablePhoneNumberListParams } from 'telnyx/resources/available-phone-numbers';
import type {
  AvailableNumber,
  AvailableNumberSearch,
  CarrierGateway,
  CarrierNumber,
  NumberOrderSnapshot,
  OrderNumberInput,
  ReleaseResult,
} from '../ports/carrier.gateway';
import { ProviderError } from '../provider-error';
import { requireIdempotencyKey } from '../require-idempotency-key';
import { fromTelnyxError } from './telnyx-error.mapper';
import * as regulatoryRecords from './telnyx-regulatory-records';
import * as requirementGroups from './telnyx-requirement-groups';
import type { NewRequirementGroup, RequirementGroupComment, RequirementGroupSnapshot, RequirementGroupValue } from '../ports/carrier.gateway';
import { toAvailableNumber, toOrderSnapshot } from './telnyx-snapshots';
import { dialWhatsAppCall, setNumberConnection } from './telnyx-whatsapp-calls';
import type {
  CallAnswer,
  CallCommandOutcome,
  CallerIdVerificationMethod,
  CallTransfer,
  CarrierNumberType,
  CarrierRequirementType,
  CodeCheck,
  DialedCall,
  NewCarrierAddress,
  NewCarrierDocument,
  RecordingLink,
  VerifiedNumber,
  WhatsAppCallDial,
} from '../ports/carrier.gateway';
import * as callControl from './telnyx-call-control';
import * as verifiedNumbers from './telnyx-verified-numbers';

/** Where ordered numbers go when the caller does not say (TELNYX_CONNECTION_ID, TELNYX_MESSAGING_PROFILE_ID). */
export interface TelnyxOrderDefaults {
  connectionId: string | null;
  messagingProfileId: string | null;
}

/**
 * `CarrierGateway` over the official `telnyx` SDK. The SDK has no idempotency option of its
 * own (its `idempotencyKey` request option is ignored: no idempotency header is configured),
 * so the key is sent as an `Idempotency-Key` header through the request options.
 */
export class TelnyxSdkCarrierGateway implements CarrierGateway {
  constructor(
    private readonly telnyx: Telnyx,
    private readonly defaults: TelnyxOrderDefaults = { connectionId: null, messagingProfileId: null },
  ) {}

  async getNumber(telnyxNumberId: string): Promise<CarrierNumber | null> {
    try {
      const { data } = await this.telnyx.phoneNumbers.retrieve(telnyxNumberId);
      if (!data) return null;
      return { id: data.id, phoneNumber: data.phone_number, status: data.status, country: data.country_iso_alpha2 };
    } catch (error) {
      const mapped = fromTelnyxError(error, 'phoneNumbers.retrieve');
      if (mapped instanceof ProviderError && mapped.status === 404) return null;
      throw mapped;
    }
  }

  async findNumberByPhoneNumber(phoneNumber: string): Promise<CarrierNumber | null> {
    const page = await this.read('phoneNumbers.list', () => this.telnyx.phoneNumbers.list({ filter: { phone_number: phoneNumber } }));
    const data = page.data.find((number) => number.phone_number === phoneNumber && number.status !== 'deleted');
    return data ? { id: data.id, phoneNumber: data.phone_number, status: data.status, country: data.country_iso_alpha2 } : null;
  }

  async releaseNumber(telnyxNumberId: string, idempotencyKey: string): Promise<ReleaseResult> {
    const key = requireIdempotencyKey(idempotencyKey, 'telnyx phoneNumbers.delete');
    try {
      await this.telnyx.phoneNumbers.delete(telnyxNumberId, { headers: { 'Idempotency-Key': key } });
      return { released: true, alreadyGone: false };
    } catch (error) {
      const mapped = fromTelnyxError(error, 'phoneNumbers.delete');
      if (mapped instanceof ProviderError && mapped.status === 404) return { released: true, alreadyGone: true };
      throw mapped;
    }
  }

  async searchAvailableNumbers(search: AvailableNumberSearch): Promise<AvailableNumber[]> {
    const response = await this.read('availablePhoneNumbers.list', () =>
      this.telnyx.availablePhoneNumbers.list({
        filter: {
          country_code: search.country.toUpperCase(),
          ...(search.areaCode ? { national_destination_code: search.areaCode } : {}),
          ...(search.contains ? { phone_number: { contains: search.contains } } : {}),
          ...(search.locality ? { locality: search.locality } : {}),
          ...(search.numberType ? { phone_number_type: search.numberType } : {}),
          ...(search.features?.length ? { features: search.features as AvailablePhoneNumberListParams.Filter['features'] } : {}),
          ...(search.limit !== undefined ? { limit: search.limit } : {}),
        },
      }),
    );
    return (response.data ?? []).map((entry) => toAvailableNumber(entry, search.country.toUpperCase()));
  }

  async orderNumber(input: OrderNumberInput, idempotencyKey: string): Promise<NumberOrderSnapshot> {
    const key = requireIdempotencyKey(idempotencyKey, 'telnyx numberOrders.create');
    // A retry with a new key (a re-run job) must not buy again: the reference finds the first order.
    const givenBack = input.givenBack ?? [];
    const live = (await this.listNumberOrders(input.customerReference)).find(
      (order) => (order.status === 'pending' || order.status === 'success') && !order.phoneNumbers.some((line) => givenBack.includes(line.phoneNumber)),
    );
    if (live) return live;
    const connectionId = input.connectionId ?? this.defaults.connectionId;
    const messagingProfileId = input.messagingProfileId ?? this.defaults.messagingProfileId;
    const { data } = await this.read('numberOrders.create', () =>
      this.telnyx.numberOrders.create(
        {
          phone_numbers: [{ phone_number: input.phoneNumber, ...(input.requirementGroupId ? { requirement_group_id: input.requirementGroupId } : {}) }],
          customer_reference: input.customerReference,
          ...(connectionId ? { connection_id: connectionId } : {}),
          ...(messagingProfileId ? { messaging_profile_id: messagingProfileId } : {}),
        },
        { headers: { 'Idempotency-Key': key } },
      ),
    );
    if (!data) throw new ProviderError({ provider: 'telnyx', operation: 'numberOrders.create', status: 200, code: 'empty_response', retryable: true });
    return toOrderSnapshot(data);
  }

  async listNumberOrders(customerReference: string): Promise<NumberOrderSnapshot[]> {
    const placed = await this.read('numberOrders.list', () => this.telnyx.numberOrders.list({ filter: { customer_reference: customerReference } }));
    return placed.data.map((order) => toOrderSnapshot(order as Parameters<typeof toOrderSnapshot>[0]));
  }

  async getNumberOrder(orderId: string): Promise<NumberOrderSnapshot | null> {
    try {
      const { data } = await this.telnyx.numberOrders.retrieve(orderId);
      return data ? toOrderSnapshot(data) : null;
    } catch (error) {
      const mapped = fromTelnyxError(error, 'numberOrders.retrieve');
      if (mapped instanceof ProviderError && mapped.status === 404) return null;
      throw mapped;
    }
  }

  // WhatsApp calling (telnyx-whatsapp-calls.ts):
  dialWhatsAppCall(input: WhatsAppCallDial, idempotencyKey: string): Promise<DialedCall> {
    return dialWhatsAppCall(this.telnyx, input, idempotencyKey);
  }

  answerCall(input: CallAnswer): Promise<CallCommandOutcome> {
    return callControl.answerCall(this.telnyx, input);
  }

  transferCall(input: CallTransfer): Promise<CallCommandOutcome> {
    return callControl.transferCall(this.telnyx, input);
  }

  rejectCall(callControlId: string, commandId: string): Promise<CallCommandOutcome> {
    return callControl.rejectCall(this.telnyx, callControlId, commandId);
  }

  hangupCall(callControlId: string, commandId: string): Promise<CallCommandOutcome> {
    return callControl.hangupCall(this.telnyx, callControlId, commandId);
  }

  getRecordingLink(recordingId: string): Promise<RecordingLink | null> {
    return callControl.getRecordingLink(this.telnyx, recordingId);
  }

  setNumberConnection(telnyxNumberId: string, connectionId: string | null, idempotencyKey: string): Promise<void> {
    return setNumberConnection(this.telnyx, telnyxNumberId, connectionId, idempotencyKey);
  }

  // Regulatory review (telnyx-requirement-groups.ts):
  createRequirementGroup(input: NewRequirementGroup, idempotencyKey: string): Promise<RequirementGroupSnapshot> {
    return requirementGroups.createRequirementGroup(this.telnyx, input, idempotencyKey);
  }

  getRequirementGroup(requirementGroupId: string): Promise<RequirementGroupSnapshot | null> {
    return requirementGroups.getRequirementGroup(this.telnyx, requirementGroupId);
  }

  updateRequirementGroup(requirementGroupId: string, requirements: RequirementGroupValue[], idempotencyKey: string): Promise<RequirementGroupSnapshot> {
    return requirementGroups.updateRequirementGroup(this.telnyx, requirementGroupId, requirements, idempotencyKey);
  }

  submitRequirementGroup(requirementGroupId: string, idempotencyKey: string): Promise<RequirementGroupSnapshot> {
    return requirementGroups.submitRequirementGroup(this.telnyx, requirementGroupId, idempotencyKey);
  }

  listRequirementGroupComments(requirementGroupId: string): Promise<RequirementGroupComment[]> {
    return requirementGroups.listRequirementGroupComments(this.telnyx, requirementGroupId);
  }

  getVerifiedNumber(phoneNumber: string): Promise<VerifiedNumber | null> {
    return verifiedNumbers.getVerifiedNumber(this.telnyx, phoneNumber);
  }

  startNumberVerification(phoneNumber: string, method: CallerIdVerificationMethod): Promise<void> {
    return verifiedNumbers.startNumberVerification(this.telnyx, phoneNumber, method);
  }

  submitVerificationCode(phoneNumber: string, code: string): Promise<CodeCheck> {
    return verifiedNumbers.submitVerificationCode(this.telnyx, phoneNumber, code);
  }

  // What a requirement group references (telnyx-regulatory-records.ts):
  listOrderingRequirements(country: string, numberType: CarrierNumberType): Promise<CarrierRequirementType[]> {
    return regulatoryRecords.listOrderingRequirements(this.telnyx, country, numberType);
  }

  createAddress(address: NewCarrierAddress, idempotencyKey: string): Promise<string> {
    return regulatoryRecords.createAddress(this.telnyx, address, idempotencyKey);
  }

  uploadDocument(document: NewCarrierDocument, idempotencyKey: string): Promise<string> {
    return regulatoryRecords.uploadDocument(this.telnyx, document, idempotencyKey);
  }

  private async read<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromTelnyxError(error, operation);
    }
  }
}
