import { generateKeyPair } from 'node:crypto';

export interface AppKeyPair {
  /** PKCS#1 ("BEGIN RSA PRIVATE KEY"), the format of the .pem GitHub lets an App owner download. */
  privateKeyPem: string;
  publicKeyPem: string;
}

let cached: Promise<AppKeyPair> | undefined;

/**
 * One 2048-bit pair per process: generating one costs 0.13–0.33 s on a 2-core box, and every test
 * can share it because each registers its own App id. Asynchronous so an in-process fake keeps serving.
 */
export function generateAppKeyPair(): Promise<AppKeyPair> {
  cached ??= new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      },
      (err, publicKeyPem, privateKeyPem) => (err ? reject(err) : resolve({ privateKeyPem, publicKeyPem })),
    );
  });
  return cached;
}
