// Guildhall: start GOV.UK Frontend's JavaScript.
//
// Loaded from the page as <script type="module" src="/assets/init.js">, so it
// runs under a Content-Security-Policy of `script-src 'self'`: there is no
// inline script anywhere. It replaces the inline snippet in GOV.UK Frontend's
// page template, which adds the classes below to <body>. A browser that runs
// this module supports ES modules, which is what `govuk-frontend-supported`
// means; browsers without module support never run it, and get the no-JS page.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()
