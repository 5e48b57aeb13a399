// Parses Terraform files with HashiCorp's HCL parser (compiled to WebAssembly) and prints one JSON object:
// {"<file name>": <the file as HCL JSON>, ...}. Used by the infra tests; run `npm ci` first.
'use strict';
const fs = require('fs');
const path = require('path');

let hcl;
try {
  hcl = require('@cdktf/hcl2json');
} catch (e) {
  process.stderr.write('cannot load @cdktf/hcl2json (' + e.message + '): run npm ci in the repository root\n');
  process.exit(3);
}

async function main(files) {
  const out = {};
  for (const file of files) {
    try {
      out[path.basename(file)] = await hcl.parse(path.basename(file), fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error('parsing ' + file + ' failed: ' + (e && e.message ? e.message : e));
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(String(e && e.message ? e.message : e) + '\n');
  process.exit(1);
});
