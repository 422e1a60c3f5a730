/** The providers the simulator stands in for. */
export const PROVIDER_NAMES = ['stripe', 'telnyx', 'meta'] as const;

export type ProviderName = (typeof PROVIDER_NAMES)[number];
