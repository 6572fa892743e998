#!/usr/bin/env node
// Encrypts and decrypts JWE compact tokens with node jose, for tests/interop/TestJweInterop.cpp.
//
// Usage:
//   node jwe_interop.mjs encrypt ALG ENC KEYFILE PLAINTEXT_HEX -> prints the compact JWE
//   node jwe_interop.mjs decrypt KEYFILE TOKEN                 -> prints the plaintext as hex (exit 0) or
//                                                                "invalid: REASON" (exit 1)
//   node jwe_interop.mjs serve                                 -> reads one JSON array of the arguments above a
//                                                                line and answers each with one JSON object
//                                                                {"exit": N, "out": TEXT, "err": TEXT}, so a test
//                                                                pays for one start, not hundreds
// KEYFILE is a private JWK (its public half encrypts for RSA and ECDH); a PBES2 password is an "oct" JWK whose k is
// the password's bytes. jose is loaded from tests/interop/node/node_modules. Exit 2 on a usage or environment error.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'node', 'package.json'));

// One command: { exit, out, err }.
async function run(jose, argv) {
  const readJwk = (path) => JSON.parse(readFileSync(path, 'utf8'));
  // A JWK that is a password (oct for PBES2) or a secret is used as raw bytes; asymmetric ones as keys.
  const keyFor = async (jwk, alg, publicOnly) => {
    if (jwk.kty === 'oct')
      return Buffer.from(jwk.k, 'base64url');
    const material = { ...jwk };
    if (publicOnly)
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        delete material[member];
    return jose.importJWK(material, alg);
  };
  if (argv.length === 5 && argv[0] === 'encrypt') {
    const [, alg, enc, keyfile, plaintextHex] = argv;
    try {
      const key = await keyFor(readJwk(keyfile), alg, true);
      const token = await new jose.CompactEncrypt(Buffer.from(plaintextHex, 'hex'))
        .setProtectedHeader({ alg, enc })
        .encrypt(key);
      return { exit: 0, out: `${token}\n`, err: '' };
    } catch (error) {
      return { exit: 2, out: '', err: `cannot encrypt: ${error.name}: ${error.message}\n` };
    }
  }
  if (argv.length === 3 && argv[0] === 'decrypt') {
    const [, keyfile, token] = argv;
    try {
      const header = jose.decodeProtectedHeader(token);
      const key = await keyFor(readJwk(keyfile), header.alg, false);
      // jose refuses PBES2 unless the caller names it: the test names the alg it is checking.
      const { plaintext } = await jose.compactDecrypt(token, key, {
        keyManagementAlgorithms: [header.alg],
        maxPBES2Count: 1000000,
      });
      return { exit: 0, out: `${Buffer.from(plaintext).toString('hex')}\n`, err: '' };
    } catch (error) {
      return { exit: 1, out: `invalid: ${error.name}: ${error.message}\n`, err: '' };
    }
  }
  return { exit: 2, out: '', err: 'usage: jwe_interop.mjs encrypt ALG ENC KEYFILE HEX | decrypt KEYFILE TOKEN | serve\n' };
}

async function main(argv) {
  let jose;
  try {
    jose = await import(pathToFileURL(require.resolve('jose')).href);
  } catch (error) {
    process.stderr.write(`cannot import jose: ${error.message}\n`);
    return 2;
  }
  if (argv.length === 1 && argv[0] === 'serve') {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '')
        continue;
      process.stdout.write(`${JSON.stringify(await run(jose, JSON.parse(line)))}\n`);
    }
    return 0;
  }
  const { exit, out, err } = await run(jose, argv);
  process.stdout.write(out);
  process.stderr.write(err);
  return exit;
}

process.exitCode = await main(process.argv.slice(2));
