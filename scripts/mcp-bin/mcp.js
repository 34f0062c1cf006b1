#!/usr/bin/env node
// `npx mcp` inside this repository: the built CLI (npm install builds dist/ in "prepare").
import "../../dist/cli/main.js";
