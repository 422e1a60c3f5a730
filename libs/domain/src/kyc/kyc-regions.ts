/** A first-level subdivision (state, Land, région, UF) as an address may name it. */
export interface KycRegion {
  /** ISO 3166-2 subdivision code without the country, e.g. `NSW`, `BY`, `IDF`, `SP`. */
  code: string;
  name: string;
  /** Postal codes (as integers) that belong to it, where the country's codes map to regions. */
  postalRanges?: ReadonlyArray<readonly [number, number]>;
}

/**
 * The regions of the countries that need KYC. Australian postcodes and Brazilian CEPs map to
 * states by range (Australia Post, Correios), so an address can be checked against its state;
 * German and French postal codes do not map cleanly, so only the name is checked there.
 */
export const KYC_REGIONS: Readonly<Record<string, readonly KycRegion[]>> = {
  AU: [
    { code: 'NSW', name: 'New South Wales', postalRanges: [[1000, 2599], [2619, 2899], [2921, 2999]] },
    { code: 'ACT', name: 'Australian Capital Territory', postalRanges: [[200, 299], [2600, 2618], [2900, 2920]] },
    { code: 'VIC', name: 'Victoria', postalRanges: [[3000, 3999], [8000, 8999]] },
    { code: 'QLD', name: 'Queensland', postalRanges: [[4000, 4999], [9000, 9999]] },
    { code: 'SA', name: 'South Australia', postalRanges: [[5000, 5999]] },
    { code: 'WA', name: 'Western Australia', postalRanges: [[6000, 6999]] },
    { code: 'TAS', name: 'Tasmania', postalRanges: [[7000, 7999]] },
    { code: 'NT', name: 'Northern Territory', postalRanges: [[800, 999]] },
  ],
  BR: [
    { code: 'SP', name: 'São Paulo', postalRanges: [[1000000, 19999999]] },
    { code: 'RJ', name: 'Rio de Janeiro', postalRanges: [[20000000, 28999999]] },
    { code: 'ES', name: 'Espírito Santo', postalRanges: [[29000000, 29999999]] },
    { code: 'MG', name: 'Minas Gerais', postalRanges: [[30000000, 39999999]] },
    { code: 'BA', name: 'Bahia', postalRanges: [[40000000, 48999999]] },
    { code: 'SE', name: 'Sergipe', postalRanges: [[49000000, 49999999]] },
    { code: 'PE', name: 'Pernambuco', postalRanges: [[50000000, 56999999]] },
    { code: 'AL', name: 'Alagoas', postalRanges: [[57000000, 57999999]] },
    { code: 'PB', name: 'Paraíba', postalRanges: [[58000000, 58999999]] },
    { code: 'RN', name: 'Rio Grande do Norte', postalRanges: [[59000000, 59999999]] },
    { code: 'CE', name: 'Ceará', postalRanges: [[60000000, 63999999]] },
    { code: 'PI', name: 'Piauí', postalRanges: [[64000000, 64999999]] },
    { code: 'MA', name: 'Maranhão', postalRanges: [[65000000, 65999999]] },
    { code: 'PA', name: 'Pará', postalRanges: [[66000000, 68899999]] },
    { code: 'AP', name: 'Amapá', postalRanges: [[68900000, 68999999]] },
    { code: 'AM', name: 'Amazonas', postalRanges: [[69000000, 69299999], [69400000, 69899999]] },
    { code: 'RR', name: 'Roraima', postalRanges: [[69300000, 69399999]] },
    { code: 'AC', name: 'Acre', postalRanges: [[69900000, 69999999]] },
    { code: 'DF', name: 'Distrito Federal', postalRanges: [[70000000, 72799999], [73000000, 73699999]] },
    { code: 'GO', name: 'Goiás', postalRanges: [[72800000, 72999999], [73700000, 76799999]] },
    { code: 'RO', name: 'Rondônia', postalRanges: [[76800000, 76999999]] },
    { code: 'TO', name: 'Tocantins', postalRanges: [[77000000, 77999999]] },
    { code: 'MT', name: 'Mato Grosso', postalRanges: [[78000000, 78899999]] },
    { code: 'MS', name: 'Mato Grosso do Sul', postalRanges: [[79000000, 79999999]] },
    { code: 'PR', name: 'Paraná', postalRanges: [[80000000, 87999999]] },
    { code: 'SC', name: 'Santa Catarina', postalRanges: [[88000000, 89999999]] },
    { code: 'RS', name: 'Rio Grande do Sul', postalRanges: [[90000000, 99999999]] },
  ],
  DE: [
    { code: 'BW', name: 'Baden-Württemberg' },
    { code: 'BY', name: 'Bayern' },
    { code: 'BE', name: 'Berlin' },
    { code: 'BB', name: 'Brandenburg' },
    { code: 'HB', name: 'Bremen' },
    { code: 'HH', name: 'Hamburg' },
    { code: 'HE', name: 'Hessen' },
    { code: 'MV', name: 'Mecklenburg-Vorpommern' },
    { code: 'NI', name: 'Niedersachsen' },
    { code: 'NW', name: 'Nordrhein-Westfalen' },
    { code: 'RP', name: 'Rheinland-Pfalz' },
    { code: 'SL', name: 'Saarland' },
    { code: 'SN', name: 'Sachsen' },
    { code: 'ST', name: 'Sachsen-Anhalt' },
    { code: 'SH', name: 'Schleswig-Holstein' },
    { code: 'TH', name: 'Thüringen' },
  ],
  FR: [
    { code: 'ARA', name: 'Auvergne-Rhône-Alpes' },
    { code: 'BFC', name: 'Bourgogne-Franche-Comté' },
    { code: 'BRE', name: 'Bretagne' },
    { code: 'CVL', name: 'Centre-Val de Loire' },
    { code: 'COR', name: 'Corse' },
    { code: 'GES', name: 'Grand Est' },
    { code: 'HDF', name: 'Hauts-de-France' },
    { code: 'IDF', name: 'Île-de-France' },
    { code: 'NOR', name: 'Normandie' },
    { code: 'NAQ', name: 'Nouvelle-Aquitaine' },
    { code: 'OCC', name: 'Occitanie' },
    { code: 'PDL', name: 'Pays de la Loire' },
    { code: 'PAC', name: "Provence-Alpes-Côte d'Azur" },
  ],
};
