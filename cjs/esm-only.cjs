// What `require('heatbath')` finds (package.json's "require" condition). heatbath is an ES module only: a
// second, CommonJS copy would hold its own module state (the addon, the IR's hash-consed nodes), so that
// values made by one copy would be foreign to the other. This file says so and names the fix.
const error = new Error(
  "heatbath is an ES module only and cannot be loaded with require(). Use `import { sampler } from 'heatbath'` " +
    'in an ES module (a .mjs file, or "type": "module" in your package.json), or ' +
    "`const { sampler } = await import('heatbath')` from CommonJS.",
)
error.code = 'ERR_REQUIRE_ESM'
throw error
