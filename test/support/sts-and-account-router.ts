import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Two small loopback servers for reading packs through an assumed role:
 * - an STS endpoint whose AssumeRole hands out credentials that name the role's account
 *   (access key `ASIA<account>PACKWATCH`);
 * - a router in front of several Config simulators, one per calling account, choosing by the
 *   access key in the request's SigV4 credential scope (the function's own keys go to the default).
 */
export interface LoopbackServer {
  readonly url: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

export function startStsEmulator(): Promise<LoopbackServer> {
  const requests: string[] = [];
  return listen(
    createServer(async (req, res) => {
      const body = new URLSearchParams(await readBody(req));
      const roleArn = body.get('RoleArn') ?? '';
      requests.push(`${body.get('Action')} ${roleArn}`);
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
      if (body.get('Action') !== 'AssumeRole' || !account) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad request</Message></Error></ErrorResponse>');
        return;
      }
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
          `<Credentials><AccessKeyId>ASIA${account}PACKWATCH</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>` +
          `<SessionToken>token</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROA:packwatch-sweep</AssumedRoleId><Arn>${roleArn.replace(':role/', ':assumed-role/')}/packwatch-sweep</Arn></AssumedRoleUser>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }),
    requests,
  );
}

export function startAccountRouter(defaultTarget: string, targetsByAccount: Readonly<Record<string, string>>): Promise<LoopbackServer> {
  const requests: string[] = [];
  return listen(
    createServer(async (req, res) => {
      const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const account = /^ASIA(\d{12})PACKWATCH$/.exec(accessKey)?.[1];
      const target = new URL(account ? (targetsByAccount[account] ?? defaultTarget) : defaultTarget);
      requests.push(account ?? 'default');
      const body = await readBody(req);
      const forward = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    }),
    requests,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server, requests: string[]): Promise<LoopbackServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
