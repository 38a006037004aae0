// The library's search page: asks the static Pagefind index and lists the works whose
// title, author or text match. The index is in shards (pagefind/shards.json lists them):
// the first is loaded, the others merged into it, and Pagefind ranks the results of all. Written here, not Pagefind's own UI, so the
// results are plain links in an ordered list with a live status, like the browse pages.
// A classic script (not a module): a module does not even run in a page opened from
// disk, and there this script has to say why search cannot work and what to do.
"use strict";
(() => {
  const PAGE = 20;
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
      + "search index. Serve the library (python3 -m http.server --directory editions/site 8000, then open "
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

  let choices = {};  // pagefind/filters.json: each filter's [key, label, works, browse page]

  function labelOf(name, key) {
    const found = (choices[name] || []).find(choice => choice[0] === key);
    return found ? found[1] : key;
  }

  function describe(query, filters) {
    const parts = query.trim() ? [`“${query.trim()}”`] : [];
    for (const [name, value] of Object.entries(filters)) parts.push(`${name} ${labelOf(name, value)}`);
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

  // The index is in shards (pagefind/shards.json), each its own Pagefind instance. Pagefind
  // replaces a word its index lacks by the longest prefix it holds ("rosa" is searched as
  // "r" where no work has "Rosa"), so a shard without a word answered with near misses, and
  // "xyzzyqq revolution" found every work with "revolution". A shard takes part in a search
  // only when its best match for every word of the query is that word (or shares its stem:
  // the words its best result matched tell); results are merged by Pagefind's score.

  // One call at a time to each shard (a word's check and the query's search would otherwise
  // run in one Pagefind instance at once); the shards answer side by side.
  function queued(instance, path) {
    let last = Promise.resolve();
    const run = task => {
      const answer = last.then(() => task(instance));
      last = answer.catch(() => {});
      return answer;
    };
    return {
      path,
      run,
      init: () => run(i => i.init()),
      search: (query, options) => run(i => i.search(query, options)),
    };
  }

  function words(query) {
    return (query.match(/[\p{L}\p{N}]+/gu) || []).map(word => word.toLowerCase());
  }

  function sameWord(word, marked) {
    const seen = marked.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
    let common = 0;
    while (common < seen.length && common < word.length && seen[common] === word[common]) common++;
    return common >= Math.min(word.length, Math.max(3, word.length - 3));
  }

  // The words of a result that matched the query: Pagefind's word positions in its text
  // (split as Pagefind splits it for its excerpts).
  function matched(data) {
    const words = data.content.split(/[\r\n\s]+/g);
    return (data.locations || []).map(at => words[at] || "");
  }

  // Whether the shard's best match for ``word`` is that word (not a stand-in prefix).
  async function holds(instance, word) {
    const found = (await instance.search(word)).results;
    if (!found.length) return false;
    const seen = matched(await found[0].data());
    return !seen.length || seen.some(each => sameWord(word, each));
  }

  // The shard's answer, or none when it lacks a word of the query: the words its best
  // result matched are known to be there; each other word is looked up alone.
  function answer(shard, query) {
    return shard.run(async instance => {
      const found = await instance.search(query);
      const terms = words(query);
      if (!terms.length || !found.results.length) return found.results;
      const seen = matched(await found.results[0].data());
      for (const word of terms.filter(word => !seen.some(each => sameWord(word, each)))) {
        if (!(await holds(instance, word))) return [];
      }
      return found.results;
    });
  }

  // Each result's author, year and language, from its shard's works.json (loaded once).
  const facets = new Map();
  function facetsOf(shard) {
    if (!facets.has(shard)) {
      facets.set(shard, fetch(`${shard.path}works.json`).then(r => r.ok ? r.json() : {}).catch(() => ({})));
    }
    return facets.get(shard);
  }

  function fits(values, filters) {
    if (!values) return false;
    const [authors, year, language] = values;
    return (!filters.author || authors.includes(filters.author))
      && (!filters.year || year === filters.year)
      && (!filters.language || language === filters.language);
  }

  async function find(shards, query, filters) {
    const filtering = Object.keys(filters).length > 0;
    const answers = await Promise.all(shards.map(async shard => {
      const found = await answer(shard, query);
      if (!filtering || !found.length) return found;
      const values = await facetsOf(shard);
      return found.filter(result => fits(values[result.id], filters));
    }));
    return answers.flat().sort((a, b) => b.score - a.score);
  }

  // Filters without words: the browse page of that author, year or language lists them all.
  function browse(filters) {
    const [name, key] = Object.entries(filters)[0];
    const found = (choices[name] || []).find(choice => choice[0] === key);
    status.textContent = "Type words to search among these works, or see them all: ";
    if (found) {
      const a = document.createElement("a");
      a.href = found[3];
      a.textContent = `${found[1]} (${plural(found[2])})`;
      status.append(a, ".");
    }
  }

  async function run(shards, query, filters) {
    results.replaceChildren();
    more.hidden = true;
    shown = [];
    next = 0;
    if (!query.trim()) {
      if (Object.keys(filters).length) browse(filters); else status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    shown = await find(shards, query.trim(), filters);
    await showMore();  // the list first, then the status: a test or a screen reader reads both at once
    const what = describe(query, filters);
    status.textContent = shown.length
      ? `${plural(shown.length)} found for ${what}.`
      : `No works found for ${what}.`;
  }

  async function fillFilters() {
    const listed = await fetch("pagefind/filters.json");
    choices = listed.ok ? await listed.json() : {};
    for (const [name, any] of FILTERS) {
      const select = document.getElementById(`filter-${name}`);
      const options = (choices[name] || []).map(([key, label, n]) => new Option(`${label} (${n})`, key));
      select.replaceChildren(new Option(any, ""), ...options);
      select.value = (choices[name] || []).some(choice => choice[0] === params.get(name)) ? params.get(name) : "";
    }
    const filters = form.querySelector(".filters");
    if (filters) filters.hidden = !Object.keys(choices).length;  // an index without filters
  }

  async function start() {
    let shards;
    try {
      const listed = await fetch("pagefind/shards.json");
      if (!listed.ok) throw new Error(`pagefind/shards.json: HTTP ${listed.status}`);
      const paths = (await listed.json()).shards.map(path => new URL(path, document.baseURI).pathname);
      if (!paths.length) throw new Error("the library has no works to search yet");
      // Each shard through its own copy of Pagefind's script: instances of one copy share its
      // WebAssembly state, and two indexes loaded into one broke each other ("unreachable").
      // On the page's thread (one worker per shard would be dozens of workers).
      const modules = await Promise.all(paths.map(path => import(`${path}pagefind.js`)));
      shards = paths.map((path, i) => queued(modules[i].createInstance({ basePath: path, noWorker: true }), path));
      await Promise.all(shards.map(shard => shard.init()));
      // Each shard's index loaded now (Pagefind loads it at the first search): the page
      // opens at once and the search is ready while the reader types.
      await Promise.all(shards.map(shard => shard.run(instance => instance.preload("a"))));
      await fillFilters();
    } catch (error) {
      status.textContent = `The search index could not be loaded (${error.message}); browse by author, year or language.`;
      return;
    }
    input.value = input.value || params.get("q") || "";  // never over what a reader typed while the index loaded
    more.addEventListener("click", showMore);
    // What the reader types is looked up ahead (Pagefind's preload: the index fragments of
    // its words), so pressing Search finds them loaded.
    let typing = null;
    input.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        const query = input.value.trim();
        if (query) shards.forEach(shard => shard.run(instance => instance.preload(query)));
      }, 150);
    });
    form.addEventListener("submit", event => {
      event.preventDefault();
      const filters = chosen();
      const url = new URLSearchParams({ q: input.value, ...filters });
      history.replaceState(null, "", `?${url}`);
      run(shards, input.value, filters);
    });
    form.dataset.ready = "true";  // the search answers from here on (a test waits for it too)
    await run(shards, input.value, chosen());
  }

  start();
})();
