// Guildhall: start GOV.UK Frontend's JavaScript, and enhance the selects
// marked for it into type-aheads.
//
// Loaded from the page as <script type="module" src="/assets/init.js">, so it
// runs under a Content-Security-Policy of `script-src 'self'`: there is no
// inline script anywhere. It replaces the inline snippet in GOV.UK Frontend's
// page template, which adds the classes below to <body>. A browser that runs
// this module supports ES modules, which is what `govuk-frontend-supported`
// means; browsers without module support never run it, and get the no-JS page.
//
// The './...' URLs below are rewritten by crates/guildhall-web/build.rs to
// carry a content hash ('./x.js?v=<hash>'): keep them as plain literals.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()

// ---------------------------------------------------------------------------
// Type-ahead selects: alphagov's accessible-autocomplete.
//
// A <select data-app-autocomplete> becomes an accessible combobox (the select
// is hidden, and still holds and submits the value). The page works without
// this: the plain select is the no-JS version. The component's script and
// stylesheet are loaded only on pages that have such a select. Its script is
// a UMD bundle: run as a classic script, it sets `window.accessibleAutocomplete`.
//
// Optional attributes on the select:
//   data-app-autocomplete-hint="..."  the text of the field's hint (the
//     .govuk-hint among its aria-describedby ids) once it is enhanced, when
//     the no-JS hint does not suit a type-ahead.

const AUTOCOMPLETE_SCRIPT = new URL('./accessible-autocomplete.min.js', import.meta.url).href
const AUTOCOMPLETE_STYLESHEET = new URL('./accessible-autocomplete.min.css', import.meta.url).href

const autocompleteSelects = document.querySelectorAll('select[data-app-autocomplete]')
if (autocompleteSelects.length > 0) {
  enhanceAutocompleteSelects(autocompleteSelects)
}

async function enhanceAutocompleteSelects (selects) {
  const stylesheet = document.createElement('link')
  stylesheet.rel = 'stylesheet'
  stylesheet.href = AUTOCOMPLETE_STYLESHEET
  const script = document.createElement('script')
  script.src = AUTOCOMPLETE_SCRIPT
  // Both, before enhancing: the box never shows unstyled. If either fails to
  // load, the plain selects stay.
  const [styled, loaded] = await Promise.all([load(stylesheet), load(script)])
  if (!styled || !loaded || typeof window.accessibleAutocomplete !== 'function') {
    return
  }
  for (const select of selects) {
    enhanceSelect(select)
  }
}

/** Appends a <link> or <script> to <head>; resolves to whether it loaded. */
function load (element) {
  return new Promise((resolve) => {
    element.addEventListener('load', () => resolve(true))
    element.addEventListener('error', () => resolve(false))
    document.head.append(element)
  })
}

function enhanceSelect (select) {
  const id = select.id
  const describedBy = (select.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
  const names = Array.from(select.options).filter((o) => o.value !== '').map((o) => o.text)
  // The select's "no choice" option (value ""), e.g. "Select your organisation".
  const none = Array.from(select.options).find((o) => o.value === '')?.text
  let input = null

  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    // An empty box when nothing is chosen; the chosen option's name when the
    // select has a value.
    defaultValue: '',
    showAllValues: true,
    autoselect: true,
    // With showAllValues and autoselect, the component highlights the first
    // option of the full list as soon as the empty box is clicked, and takes
    // it on blur: clicking into the box and away would choose the first
    // council (alphagov/accessible-autocomplete#236). So the full list starts
    // with the "no choice" option, which leaves the box empty when taken.
    source: (query, populate) => {
      const wanted = query.trim().toLowerCase()
      if (wanted === '') {
        populate(none === undefined ? names : [none, ...names])
      } else {
        populate(names.filter((name) => name.toLowerCase().includes(wanted)))
      }
    },
    templates: {
      inputValue: (value) => (value !== undefined && value === none ? '' : value),
      // The component puts this in the option as HTML.
      suggestion: (value) => escapeHtml(value ?? ''),
    },
    // Called with the chosen option's text, or with nothing when the box is
    // left without a choice (e.g. after typing a name that matches none).
    onConfirm: (chosen) => chooseOption(select, chosen ?? input?.value),
  })

  // The combobox takes the select's id (so the <label for> and the error
  // summary's link lead to it); the select becomes `${id}-select`.
  input = document.getElementById(id)
  if (!input || input === select) return

  // The component describes its input by its own usage hint only; keep the
  // field's hint and error message too (alphagov/accessible-autocomplete#589).
  // It rewrites the attribute as the box empties and fills: add them back.
  if (describedBy.length > 0) {
    const keepDescribedBy = () => {
      const own = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
      const wanted = [...describedBy, ...own.filter((i) => !describedBy.includes(i))].join(' ')
      if (input.getAttribute('aria-describedby') !== wanted) {
        input.setAttribute('aria-describedby', wanted)
      }
    }
    keepDescribedBy()
    new MutationObserver(keepDescribedBy).observe(input, {
      attributes: true,
      attributeFilter: ['aria-describedby'],
    })
  }

  // The component's grey completion behind the box ("Leed" + "s") is a second,
  // unlabelled input: hide it from assistive technology, which gets the
  // highlighted option from the box itself.
  const wrapper = input.closest('.autocomplete__wrapper') ?? input.parentElement
  const hideCompletion = () => {
    for (const el of wrapper.querySelectorAll('.autocomplete__hint:not([aria-hidden])')) {
      el.setAttribute('aria-hidden', 'true')
    }
  }
  hideCompletion()
  new MutationObserver(hideCompletion).observe(wrapper, { childList: true, subtree: true })

  const hintText = select.dataset.appAutocompleteHint
  if (hintText) {
    const hint = describedBy
      .map((i) => document.getElementById(i))
      .find((el) => el?.classList.contains('govuk-hint'))
    if (hint) hint.textContent = hintText
  }

  // What is submitted is what the box shows: a box emptied, or left with text
  // that names no option, must not submit an earlier choice.
  select.form?.addEventListener('submit', () => chooseOption(select, input.value))
}

/** Selects the option whose text is `text` (any case), or none. */
function chooseOption (select, text) {
  const wanted = (text ?? '').trim().toLowerCase()
  const option = wanted === ''
    ? undefined
    : Array.from(select.options).find((o) => o.value !== '' && o.text.trim().toLowerCase() === wanted)
  select.value = option ? option.value : ''
}

function escapeHtml (text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
