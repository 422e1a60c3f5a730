import { checkKycFile, cleanKycFilename, KYC_FILE_MAX_BYTES, sniffKycFileType } from './kyc-file';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('KYC files', () => {
  it('knows a PDF, JPG, PNG and WEBP by their first bytes', () => {
    expect(sniffKycFileType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffKycFileType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffKycFileType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffKycFileType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50))).toBe('image/webp');
    expect(sniffKycFileType(new TextEncoder().encode('GIF89a'))).toBeNull();
  });

  it('refuses an empty file, one over 10 MB, and other types', () => {
    expect(checkKycFile(bytes())).toEqual({ ok: false, message: 'the file is empty' });
    const big = new Uint8Array(KYC_FILE_MAX_BYTES + 1);
    big.set(new TextEncoder().encode('%PDF-'));
    expect(checkKycFile(big)).toMatchObject({ ok: false, message: expect.stringContaining('10 MB') });
    expect(checkKycFile(new TextEncoder().encode('hello'))).toMatchObject({ ok: false });
    expect(checkKycFile(new TextEncoder().encode('%PDF-1.4'))).toEqual({ ok: true, contentType: 'application/pdf' });
  });

  it('refuses a file whose bytes are not the type it is declared as', () => {
    const pdf = new TextEncoder().encode('%PDF-1.4');
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0);
    expect(checkKycFile(pdf, 'image/png')).toEqual({ ok: false, message: 'the file is a PDF, not image/png as declared' });
    expect(checkKycFile(png, 'application/pdf')).toEqual({ ok: false, message: 'the file is a PNG, not application/pdf as declared' });
    expect(checkKycFile(png, 'image/gif')).toMatchObject({ ok: false });
    expect(checkKycFile(pdf, 'Application/PDF; charset=binary')).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(checkKycFile(bytes(0xff, 0xd8, 0xff, 0xe0), 'image/jpg')).toEqual({ ok: true, contentType: 'image/jpeg' });
    // Nothing said: the bytes decide.
    for (const undeclared of [undefined, '', 'application/octet-stream']) expect(checkKycFile(png, undeclared)).toEqual({ ok: true, contentType: 'image/png' });
  });

  it('keeps the base name of a file name, without control characters', () => {
    expect(cleanKycFilename('C:\\scans\\id card.pdf')).toBe('id card.pdf');
    expect(cleanKycFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanKycFilename('a\u0000b.pdf')).toBe('ab.pdf');
    expect(cleanKycFilename('  ')).toBeNull();
    expect(cleanKycFilename('x'.repeat(256))).toBeNull();
  });
});
