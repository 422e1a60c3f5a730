// `npm test` runs every project: unit and integration tests beside the code, end-to-end in test/.
export default {
  projects: ['<rootDir>/libs/*/jest.config.ts', '<rootDir>/apps/*/jest.config.ts', '<rootDir>/test/jest.config.ts', '<rootDir>/scripts/jest.config.ts'],
};
