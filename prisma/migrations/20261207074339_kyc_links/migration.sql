-- CreateTable
CREATE TABLE "kyc_links" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "profile_id" VARCHAR(24) NOT NULL,
    "country" CHAR(2) NOT NULL,
    "language" VARCHAR(5),
    "company_name" VARCHAR(100),
    "logo_url" VARCHAR(2048),
    "brand_color" VARCHAR(7),
    "redirect_url" VARCHAR(2048),
    "token_hash" CHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_at" TIMESTAMPTZ(3),
    "number_id" VARCHAR(24),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kyc_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "kyc_links_token_hash_key" ON "kyc_links"("token_hash");

-- CreateIndex
CREATE INDEX "kyc_links_account_id_idx" ON "kyc_links"("account_id");

-- AddForeignKey
ALTER TABLE "kyc_links" ADD CONSTRAINT "kyc_links_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kyc_links" ADD CONSTRAINT "kyc_links_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The hosted KYC page speaks Spanish and Brazilian Portuguese too: each requirement of the
-- reference data gets its label and description in both (translated once, here). A row an
-- operator has since translated otherwise keeps its own.
WITH texts ("requirement_id", "translations") AS (VALUES
    ('req_de_address', '{"es": {"label": "Dirección en Alemania", "description": "Una dirección postal en la zona del número (Ortsnetz) donde el usuario final vive o tiene su negocio."},
                         "pt-BR": {"label": "Endereço na Alemanha", "description": "Um endereço na área do número (Ortsnetz) onde o usuário final mora ou tem seu negócio."}}'::jsonb),
    ('req_de_id', '{"es": {"label": "Documento de identidad", "description": "Pasaporte o documento nacional de identidad del usuario final, por ambas caras, vigente y legible."},
                    "pt-BR": {"label": "Documento de identidade", "description": "Passaporte ou carteira de identidade nacional do usuário final, frente e verso, válido e legível."}}'::jsonb),
    ('req_fr_address', '{"es": {"label": "Dirección en Francia", "description": "Una dirección postal en la zona geográfica del número donde el usuario final vive o tiene su negocio."},
                         "pt-BR": {"label": "Endereço na França", "description": "Um endereço na zona geográfica do número onde o usuário final mora ou tem seu negócio."}}'::jsonb),
    ('req_fr_id', '{"es": {"label": "Documento de identidad", "description": "Pasaporte o documento nacional de identidad del usuario final."},
                    "pt-BR": {"label": "Documento de identidade", "description": "Passaporte ou carteira de identidade nacional do usuário final."}}'::jsonb),
    ('req_fr_proof_of_address', '{"es": {"label": "Comprobante de domicilio", "description": "Una factura de suministros o un extracto bancario de menos de tres meses que muestre la dirección indicada."},
                                  "pt-BR": {"label": "Comprovante de endereço", "description": "Uma conta de consumo ou extrato bancário com menos de três meses, mostrando o endereço informado."}}'::jsonb),
    ('req_br_tax_id', '{"es": {"label": "CPF o CNPJ", "description": "El número fiscal brasileño del usuario final: CPF para una persona, CNPJ para una empresa."},
                        "pt-BR": {"label": "CPF ou CNPJ", "description": "O número fiscal do usuário final: CPF para pessoa física, CNPJ para empresa."}}'::jsonb),
    ('req_br_address', '{"es": {"label": "Dirección en Brasil", "description": "Una dirección postal en Brasil donde el usuario final vive o tiene su negocio."},
                         "pt-BR": {"label": "Endereço no Brasil", "description": "Um endereço no Brasil onde o usuário final mora ou tem seu negócio."}}'::jsonb),
    ('req_br_id', '{"es": {"label": "Documento de identidad", "description": "RG, CNH o pasaporte del usuario final (para una empresa, de su representante legal)."},
                    "pt-BR": {"label": "Documento de identidade", "description": "RG, CNH ou passaporte do usuário final (para empresa, do seu representante legal)."}}'::jsonb),
    ('req_au_address', '{"es": {"label": "Dirección en Australia", "description": "Una dirección postal en Australia donde el usuario final vive o tiene su negocio, no un apartado de correos."},
                         "pt-BR": {"label": "Endereço na Austrália", "description": "Um endereço na Austrália onde o usuário final mora ou tem seu negócio, não uma caixa postal."}}'::jsonb),
    ('req_au_id', '{"es": {"label": "Documento de identidad", "description": "Pasaporte o licencia de conducir australiana del usuario final."},
                    "pt-BR": {"label": "Documento de identidade", "description": "Passaporte ou carteira de motorista australiana do usuário final."}}'::jsonb)
)
UPDATE "countries" SET "kyc_requirements" = (
    SELECT jsonb_agg(CASE WHEN texts."translations" IS NULL OR field ? 'translations' THEN field
                          ELSE field || jsonb_build_object('translations', texts."translations") END
                     ORDER BY position)
    FROM jsonb_array_elements("countries"."kyc_requirements") WITH ORDINALITY AS fields (field, position)
    LEFT JOIN texts ON texts."requirement_id" = field->>'requirementId'
)
WHERE "code" IN ('DE', 'FR', 'BR', 'AU') AND jsonb_array_length("kyc_requirements") > 0;
