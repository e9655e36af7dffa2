// Compiles app/styles/app.scss (GOV.UK Frontend with the council's settings) to public/styles/app.css.
import fs from 'node:fs'
import path from 'node:path'
import * as sass from 'sass'

const out = path.resolve('public/styles/app.css')
const result = sass.compile(path.resolve('app/styles/app.scss'), {
  loadPaths: [path.resolve('node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
})
fs.mkdirSync(path.dirname(out), { recursive: true })
fs.writeFileSync(out, result.css)
console.log(
  `Built ${path.relative(process.cwd(), out)} (${Math.round(result.css.length / 1024)} KiB)`,
)
