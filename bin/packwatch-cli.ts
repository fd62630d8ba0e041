import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { parseArgs } from 'node:util';
import { isRegionName } from '../lambda/region-name.js';
import { CHECK_EXIT, runCheck } from './check-command.js';

const USAGE = `Usage: packwatch check [--regions us-east-1,eu-west-1] [--json]

Reads every organization conformance pack in each region with your AWS credentials (the SDK's
default chain: AWS_PROFILE, SSO, environment variables …) and lists the member accounts whose
deployment is CREATE_FAILED, UPDATE_FAILED or DELETE_FAILED. Read-only: nothing is stored or sent.

  --regions   comma-separated regions (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --json      machine-readable output

Exit status: 0 nothing failing, 1 failing accounts found, 2 something could not be read or bad usage.
`;

export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** `packwatch <command>`: the only reader of the command line and the environment for the CLI. */
export async function main(io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...io.argv],
      allowPositionals: true,
      options: { regions: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
  } catch (error) {
    io.stderr(`packwatch: ${(error as Error).message}\n\n${USAGE}`);
    return CHECK_EXIT.incomplete;
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'check' || extra.length > 0) {
    io.stderr(`packwatch: ${command ? `unknown command "${[command, ...extra].join(' ')}"` : 'no command given'}\n\n${USAGE}`);
    return CHECK_EXIT.incomplete;
  }
  const regionList = parsed.values.regions ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!regionList) {
    io.stderr(`packwatch check: no region given: pass --regions us-east-1,eu-west-1 or set AWS_REGION\n`);
    return CHECK_EXIT.incomplete;
  }
  const regions = [...new Set(regionList.split(',').map((region) => region.trim()).filter(Boolean))];
  const unknown = regions.filter((region) => !isRegionName(region));
  if (regions.length === 0 || unknown.length > 0) {
    io.stderr(`packwatch check: --regions: ${unknown.map((region) => JSON.stringify(region)).join(', ') || 'nothing'} is not an AWS region name such as us-east-1\n`);
    return CHECK_EXIT.incomplete;
  }
  const clients = new Map<string, ConfigServiceClient>();
  return runCheck(
    { regions, json: parsed.values.json },
    {
      clientFor: (region) => {
        let client = clients.get(region);
        if (!client) {
          client = new ConfigServiceClient({ region, retryMode: 'adaptive', maxAttempts: 8 });
          clients.set(region, client);
        }
        return client;
      },
      stdout: io.stdout,
      stderr: io.stderr,
    },
  );
}
