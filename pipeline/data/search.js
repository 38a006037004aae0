// The library's search page: asks the static Pagefind index (pagefind/) and lists the
// works whose title, author or text match. Written here, not Pagefind's own UI, so the
// results are plain links in an ordered list with a live status, like the browse pages.
const form = document.querySelector("form[role=search]");
const input = document.getElementById("q");
const status = document.getElementById("status");
const results = document.getElementById("results");

async function run(query) {
  results.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "Searching…";
  const pagefind = await import("./pagefind/pagefind.js");
  const search = await pagefind.search(query);
  const found = await Promise.all(search.results.slice(0, 50).map(r => r.data()));
  status.textContent = `${search.results.length} work${search.results.length === 1 ? "" : "s"} found for “${query}”.`;
  for (const data of found) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = new URL(data.url.replace(/^\/+/, ""), document.baseURI).href;
    a.textContent = data.meta.title;
    const by = document.createElement("p");
    by.textContent = data.meta.author + (data.meta.year ? `, ${data.meta.year}` : "");
    const excerpt = document.createElement("p");
    excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and marks the hits with <mark>
    li.append(a, by, excerpt);
    results.append(li);
  }
}

const query = new URLSearchParams(location.search).get("q") || "";
input.value = query;
run(query);
form.addEventListener("submit", event => {
  event.preventDefault();
  history.replaceState(null, "", `?q=${encodeURIComponent(input.value)}`);
  run(input.value);
});
