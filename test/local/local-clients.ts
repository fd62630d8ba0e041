import { ConfigServiceClient, type ConfigServiceClientConfig } from '@aws-sdk/client-config-service';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';

/** Shared by the local emulator tests: real SDK clients aimed at 127.0.0.1. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'packwatch-local', secretAccessKey: 'packwatch-local' };

export function configClient(url: string, region = 'us-east-1', extra: ConfigServiceClientConfig = {}): ConfigServiceClient {
  return new ConfigServiceClient({ endpoint: url, region, credentials: LOCAL_CREDENTIALS, ...extra });
}

export function snsClient(url: string, region = 'us-east-1', extra: SNSClientConfig = {}): SNSClient {
  return new SNSClient({ endpoint: url, region, credentials: LOCAL_CREDENTIALS, ...extra });
}

/** An Authorization header shaped like SigV4's (the emulators read only the credential scope). */
export function fakeSigV4(region: string, service = 'config'): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A hand-made HTTP POST, for what the SDK would never send (or to see the exact wire answer). */
export async function rawPost(url: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A raw AWS Config JSON 1.1 call. */
export function rawConfigCall(url: string, operation: string, input: unknown, region: string | null = 'us-east-1'): Promise<RawAnswer> {
  return rawPost(
    url,
    {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `StarlingDoveService.${operation}`,
      ...(region !== null && { Authorization: fakeSigV4(region) }),
    },
    typeof input === 'string' ? input : JSON.stringify(input),
  );
}
