// End-to-end suites build and start real processes: their hooks need minutes, not Jest's 5 s.
jest.setTimeout(180_000);
