import { chromium } from '@playwright/test'
import fs from 'node:fs'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' })
const p = await b.newPage({ viewport: { width: 700, height: 260 } })
const files = process.argv.slice(2)
await p.setContent(`<body style="margin:0;display:flex;gap:8px;background:#fff">${files.map((f) => `<img style="border:1px solid #ccc" src="data:image/svg+xml;base64,${fs.readFileSync(f).toString('base64')}">`).join('')}</body>`)
await p.screenshot({ path: '/tmp/svgs.png' })
await b.close()
