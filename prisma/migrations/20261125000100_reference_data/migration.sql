-- Reference data: the plans a customer can be on and the countries numbers can be bought in.
-- ON CONFLICT DO NOTHING: a row an operator has since changed is left as it is.

INSERT INTO "plans" ("code", "name", "max_numbers", "price_cents") VALUES
    ('free',    'Free',    0,    0),
    ('starter', 'Starter', 1,  900),
    ('growth',  'Growth',  5, 2900),
    ('scale',   'Scale',  25, 9900)
ON CONFLICT DO NOTHING;

-- kyc_requirements: what the regulator asks for, per number type. kind is one of
-- text | address | file, and localTo names the country an address must be in.
INSERT INTO "countries" ("code", "name", "tier", "monthly_cents", "needs_kyc", "outbound_calling_available", "default_number_type", "kyc_requirements", "available") VALUES
    ('US', 'United States',  1,  300, false, true,  'local',  '[]', true),
    ('CA', 'Canada',         1,  300, false, true,  'local',  '[]', true),
    ('GB', 'United Kingdom', 2,  600, false, true,  'mobile', '[]', true),
    ('DE', 'Germany',        3,  900, true,  true,  'local', '[
        {"numberType": "local", "requirementId": "req_de_address", "label": "Address in Germany", "kind": "address",
         "description": "A street address in the area of the number (Ortsnetz) where the end user lives or does business.",
         "example": "Friedrichstrasse 68, 10117 Berlin", "localTo": "DE"},
        {"numberType": "local", "requirementId": "req_de_id", "label": "ID document", "kind": "file",
         "description": "A passport or national identity card of the end user, both sides, valid and legible.",
         "example": "personalausweis.pdf"}
    ]', true),
    ('FR', 'France',         3,  900, true,  false, 'local', '[
        {"numberType": "local", "requirementId": "req_fr_address", "label": "Address in France", "kind": "address",
         "description": "A street address in the geographic zone of the number where the end user lives or does business.",
         "example": "12 Rue de Rivoli, 75004 Paris", "localTo": "FR"},
        {"numberType": "local", "requirementId": "req_fr_id", "label": "ID document", "kind": "file",
         "description": "A passport or national identity card of the end user.",
         "example": "carte-identite.pdf"},
        {"numberType": "local", "requirementId": "req_fr_proof_of_address", "label": "Proof of address", "kind": "file",
         "description": "A utility bill or bank statement less than three months old, showing the address given.",
         "example": "facture-edf.pdf"}
    ]', true),
    ('BR', 'Brazil',         4, 1200, true,  false, 'mobile', '[
        {"numberType": "mobile", "requirementId": "req_br_tax_id", "label": "CPF or CNPJ", "kind": "text",
         "description": "The Brazilian tax number of the end user: CPF for a person, CNPJ for a company.",
         "example": "123.456.789-09"},
        {"numberType": "mobile", "requirementId": "req_br_address", "label": "Address in Brazil", "kind": "address",
         "description": "A street address in Brazil where the end user lives or does business.",
         "example": "Avenida Paulista 1578, Bela Vista, Sao Paulo - SP, 01310-200", "localTo": "BR"},
        {"numberType": "mobile", "requirementId": "req_br_id", "label": "ID document", "kind": "file",
         "description": "An RG, CNH or passport of the end user (for a company, its legal representative).",
         "example": "cnh.pdf"}
    ]', true),
    ('AU', 'Australia',      3, 1200, true,  true,  'mobile', '[
        {"numberType": "mobile", "requirementId": "req_au_address", "label": "Address in Australia", "kind": "address",
         "description": "A street address in Australia where the end user lives or does business, not a PO box.",
         "example": "1 Martin Place, Sydney NSW 2000", "localTo": "AU"},
        {"numberType": "mobile", "requirementId": "req_au_id", "label": "ID document", "kind": "file",
         "description": "A passport or Australian driver licence of the end user.",
         "example": "drivers-licence.pdf"}
    ]', true)
ON CONFLICT DO NOTHING;
