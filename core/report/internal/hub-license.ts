/**
 * The Hugging Face Hub's `license:` ids (https://huggingface.co/docs/hub/repositories-licenses):
 * lowercase SPDX-like names. A card that says `MIT` is written `license: mit` so the Hub shows and
 * filters it; a license the Hub does not list is `license: other` with `license_name`, as the Hub
 * asks.
 */
const HUB_LICENSES = new Set([
  'apache-2.0',
  'mit',
  'openrail',
  'bigscience-openrail-m',
  'creativeml-openrail-m',
  'bigscience-bloom-rail-1.0',
  'bigcode-openrail-m',
  'afl-3.0',
  'artistic-2.0',
  'bsl-1.0',
  'bsd',
  'bsd-2-clause',
  'bsd-3-clause',
  'bsd-3-clause-clear',
  'c-uda',
  'cc',
  'cc0-1.0',
  'cc-by-2.0',
  'cc-by-2.5',
  'cc-by-3.0',
  'cc-by-4.0',
  'cc-by-sa-3.0',
  'cc-by-sa-4.0',
  'cc-by-nc-2.0',
  'cc-by-nc-3.0',
  'cc-by-nc-4.0',
  'cc-by-nd-4.0',
  'cc-by-nc-nd-3.0',
  'cc-by-nc-nd-4.0',
  'cc-by-nc-sa-2.0',
  'cc-by-nc-sa-3.0',
  'cc-by-nc-sa-4.0',
  'cdla-sharing-1.0',
  'cdla-permissive-1.0',
  'cdla-permissive-2.0',
  'wtfpl',
  'ecl-2.0',
  'epl-1.0',
  'epl-2.0',
  'etalab-2.0',
  'eupl-1.1',
  'eupl-1.2',
  'agpl-3.0',
  'gfdl',
  'gpl',
  'gpl-2.0',
  'gpl-3.0',
  'lgpl',
  'lgpl-2.1',
  'lgpl-3.0',
  'isc',
  'lppl-1.3c',
  'ms-pl',
  'mpl-2.0',
  'odc-by',
  'odbl',
  'openrail++',
  'osl-3.0',
  'postgresql',
  'ofl-1.1',
  'ncsa',
  'unlicense',
  'zlib',
  'pddl',
  'unknown',
  'other',
]);

/** `MIT` -> `{license: 'mit'}`; `Apache 2.0` -> `{license: 'apache-2.0'}`; `Acme EULA` -> `{license: 'other', license_name: 'acme-eula'}`. */
export function hubLicense(text: string): { license: string; license_name?: string } {
  const id = text.trim().toLowerCase().replace(/\s+/g, '-');
  if (HUB_LICENSES.has(id)) return { license: id };
  if (HUB_LICENSES.has(id.replace(/-v?(\d)/, '-$1'))) return { license: id.replace(/-v?(\d)/, '-$1') };
  return { license: 'other', license_name: id.replace(/[^a-z0-9.+-]+/g, '-').replace(/^-+|-+$/g, '') || 'other' };
}
