// The library's search page: asks the static Pagefind index (pagefind/) and lists the
// works whose title, author or text match. Written here, not Pagefind's own UI, so the
// results are plain links in an ordered list with a live status, like the browse pages.
// A classic script (not a module): a module does not even run in a page opened from
// disk, and there this script has to say why search cannot work and what to do.
"use strict";
(() => {
  const PAGE = 50;
  const FILTERS = [["author", "Any author"], ["year", "Any year"], ["language", "Any language"]];
  const form = document.querySelector("form[role=search]");
  const input = document.getElementById("q");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const more = document.getElementById("more");
  const params = new URLSearchParams(location.search);
  let shown = [], next = 0;

  if (location.protocol === "file:") {
    status.textContent = "Search cannot run in a page opened from disk: browsers do not let it load the "
      + "search index. Serve the library (python3 -m http.server --directory editions 8000, then open "
      + "http://localhost:8000/search.html), or browse by author, year or language.";
    form.querySelectorAll("input, select, button").forEach(control => { control.disabled = true; });
    return;
  }

  function plural(n) { return `${n} work${n === 1 ? "" : "s"}`; }

  function chosen() {
    const filters = {};
    for (const [name] of FILTERS) {
      const value = document.getElementById(`filter-${name}`).value;
      if (value) filters[name] = value;
    }
    return filters;
  }

  function describe(query, filters) {
    const parts = query.trim() ? [`“${query.trim()}”`] : [];
    for (const [name, value] of Object.entries(filters)) parts.push(`${name} ${value}`);
    return parts.join(", ");
  }

  async function showMore() {
    const batch = await Promise.all(shown.slice(next, next + PAGE).map(r => r.data()));
    next += batch.length;
    for (const data of batch) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = new URL(data.url.replace(/^\/+/, ""), document.baseURI).href;
      a.textContent = data.meta.title;
      const by = document.createElement("p");
      by.textContent = data.meta.author + (data.meta.year ? `, ${data.meta.year}` : "");
      const excerpt = document.createElement("p");
      excerpt.className = "excerpt";
      excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and marks the hits with <mark>
      li.append(a, by, excerpt);
      results.append(li);
    }
    more.hidden = next >= shown.length;
  }

  async function run(pagefind, query, filters) {
    results.replaceChildren();
    more.hidden = true;
    shown = [];
    next = 0;
    if (!query.trim() && !Object.keys(filters).length) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    const search = await pagefind.search(query.trim() || null, { filters });
    shown = search.results;
    await showMore();  // the list first, then the status: a test or a screen reader reads both at once
    const what = describe(query, filters);
    status.textContent = shown.length
      ? `${plural(shown.length)} found for ${what}.`
      : `No works found for ${what}.`;
  }

  async function fillFilters(pagefind) {
    const available = await pagefind.filters();
    for (const [name, any] of FILTERS) {
      const select = document.getElementById(`filter-${name}`);
      const values = Object.keys(available[name] || {});
      values.sort((a, b) => a.localeCompare(b));
      const first = new Option(any, "");
      select.replaceChildren(first, ...values.map(v => new Option(`${v} (${available[name][v]})`, v)));
      select.value = values.includes(params.get(name)) ? params.get(name) : "";
    }
    const filters = form.querySelector(".filters");
    if (filters) filters.hidden = !Object.keys(available).length;  // an index without filters
  }

  async function start() {
    let pagefind;
    try {
      pagefind = await import("./pagefind/pagefind.js");
      await fillFilters(pagefind);
    } catch (error) {
      status.textContent = `The search index could not be loaded (${error.message}); browse by author, year or language.`;
      return;
    }
    input.value = input.value || params.get("q") || "";  // never over what a reader typed while the index loaded
    more.addEventListener("click", showMore);
    form.addEventListener("submit", event => {
      event.preventDefault();
      const filters = chosen();
      const url = new URLSearchParams({ q: input.value, ...filters });
      history.replaceState(null, "", `?${url}`);
      run(pagefind, input.value, filters);
    });
    form.dataset.ready = "true";  // the search answers from here on (a test waits for it too)
    await run(pagefind, input.value, chosen());
  }

  start();
})();
