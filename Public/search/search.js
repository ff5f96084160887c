// The search page's script: loads the shards of the query's words from search/terms/, ranks
// pages that have every word (the last one as a prefix, as you type), and shows the best with
// their section, excerpt and totals, loading only the chunks of search/pages/ that hold them.
// Words are folded and stemmed exactly as Dossier's SearchText does (SearchTextTests). Written
// by every build with `search:` as search/search.js (.ci/embed-search.py embeds it).
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-input");
  var sectionSelect = document.getElementById("search-section");
  var languageSelect = document.getElementById("search-language");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var indexURL = form.getAttribute("data-index");
  var folder = indexURL.replace(/index\.json$/, "");
  var root = form.getAttribute("data-root");
  var index = null;
  var shards = {};
  var chunks = {};

  var RU = ["иями","ями","ами","ого","его","ему","ому","ыми","ими","ией","ией","ция","иях","ах","ях","ая","яя","ое","ее","ие","ые","ой","ей","ий","ый","ом","ем","ам","ям","ов","ев","ую","юю","ть","ся","а","я","о","е","ы","и","у","ю","ь" ];
  RU.sort(function (a, b) { return b.length - a.length; });
  var EN = ["ies", "es", "ing", "ed", "ly", "s"];

  function words(text) {
    var out = [];
    var current = "";
    var folded = text.toLowerCase().normalize("NFD");
    for (var ch of folded) {
      if (/[\p{L}\p{Nd}]/u.test(ch)) current += ch;
      else if (/\p{M}/u.test(ch)) continue;
      else { if (current) out.push(current); current = ""; }
    }
    if (current) out.push(current);
    return out;
  }

  function stem(word) {
    var letters = Array.from(word);
    if (!letters.length) return word;
    var code = letters[0].codePointAt(0);
    var cyrillic = code >= 0x400 && code <= 0x4ff;
    var endings = cyrillic ? RU : (/^[a-z]$/.test(letters[0]) ? EN : []);
    for (var i = 0; i < endings.length; i++) {
      var ending = endings[i];
      if (letters.length - Array.from(ending).length >= 3 && word.endsWith(ending)) {
        if (!cyrillic && ending === "ies") return word.slice(0, -3) + "y";
        if (!cyrillic && ending === "s" && word.endsWith("ss")) return word;
        return word.slice(0, word.length - ending.length);
      }
    }
    return word;
  }

  // A word as the index keeps it: whole up to 40 bytes, else its first 40 scalars.
  function clip(word) {
    return new TextEncoder().encode(word).length <= 40 ? word : Array.from(word).slice(0, 40).join("");
  }

  // The shard of a term: its first two scalars hashed (FNV-1a over their UTF-8 bytes) into one
  // of 1,024, as SearchText.shard does.
  function shardName(term) {
    var hash = 0x811c9dc5;
    new TextEncoder().encode(Array.from(term).slice(0, 2).join("")).forEach(function (b) {
      hash = Math.imul(hash ^ b, 16777619) >>> 0;
    });
    return ("00" + (hash % 1024).toString(16)).slice(-3);
  }

  function load(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function shard(name) {
    if (!shards[name]) shards[name] = index.shards.indexOf(name) < 0 ? Promise.resolve({}) : load(folder + "terms/" + name + ".json");
    return shards[name];
  }

  function chunk(n) {
    if (!chunks[n]) chunks[n] = load(folder + "pages/" + n + ".json");
    return chunks[n];
  }

  function fill(select, values) {
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }

  // Every page that has each word: the last word as typed so far matches any term it begins.
  function search(query) {
    var list = words(query).filter(function (w) { return Array.from(w).length >= 2; });
    if (!list.length) return Promise.resolve([]);
    return Promise.all(list.map(function (word, i) {
      var last = i === list.length - 1;
      word = clip(word);
      var term = stem(word);
      return shard(shardName(term)).then(function (terms) {
        var scores = {};
        var common = false;
        Object.keys(terms).forEach(function (key) {
          var hit = key === term || (last && (key.indexOf(word) === 0 || key.indexOf(term) === 0));
          if (!hit) return;
          // A word on more pages than the index lists for it ("fund" on 100,000 suppliers'
          // pages) cannot narrow the results: it only adds to the score of pages that have it.
          if (terms[key].length >= index.cap) common = true;
          terms[key].forEach(function (posting) {
            var bonus = key === term ? 2 : 1;
            scores[posting[0]] = Math.max(scores[posting[0]] || 0, posting[1] * bonus);
          });
        });
        return { scores: scores, common: common };
      });
    })).then(function (perWord) {
      // Every page must have each word that narrows; if every word is common, any of them will do.
      var narrowing = perWord.filter(function (w) { return !w.common; });
      var required = narrowing.length ? narrowing : [];
      var candidates = {};
      (required.length ? [required[0]] : perWord).forEach(function (w) {
        Object.keys(w.scores).forEach(function (page) { candidates[page] = true; });
      });
      var total = {};
      Object.keys(candidates).forEach(function (page) {
        var sum = 0;
        for (var i = 0; i < required.length; i++) {
          if (!(page in required[i].scores)) return;
        }
        perWord.forEach(function (w) { sum += w.scores[page] || 0; });
        total[page] = sum;
      });
      return Object.keys(total).map(Number).sort(function (a, b) { return total[b] - total[a] || a - b; });
    });
  }

  // The best pages that pass the filters, at most twenty: the chunks of page data are loaded a
  // few pages at a time, so a word on every page loads only the chunks of the first results.
  function show(pages) {
    var section = sectionSelect.value;
    var language = languageSelect.value;
    var filtered = section || language;
    var shown = [];
    var at = 0;
    function next() {
      if (shown.length >= 20 || at >= pages.length) return Promise.resolve();
      var batch = pages.slice(at, at + (filtered ? 100 : 20 - shown.length));
      at += batch.length;
      var needed = {};
      batch.forEach(function (p) { needed[Math.floor(p / index.chunk)] = true; });
      return Promise.all(Object.keys(needed).map(function (n) {
        return chunk(n).then(function (rows) { return [Number(n), rows]; });
      })).then(function (loaded) {
        var byChunk = {};
        loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
        batch.forEach(function (p) {
          var row = byChunk[Math.floor(p / index.chunk)][p % index.chunk];
          if (shown.length < 20 && (!section || row[2] === section) && (!language || row[3] === language)) shown.push(row);
        });
        return next();
      });
    }
    return next().then(function () {
      results.textContent = "";
      shown.forEach(function (row) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + row[0];
        link.textContent = row[1];
        link.setAttribute("lang", row[3]);
        var title = document.createElement("h2");
        title.appendChild(link);
        item.appendChild(title);
        var meta = document.createElement("p");
        meta.className = "meta";
        meta.textContent = row[2] + (row[5] ? " · " + row[5] : "");
        item.appendChild(meta);
        if (row[4]) {
          var excerpt = document.createElement("p");
          excerpt.textContent = row[4];
          item.appendChild(excerpt);
        }
        results.appendChild(item);
      });
      status.textContent = shown.length
        ? form.getAttribute("data-found").replace("{n}", String(shown.length))
        : form.getAttribute("data-none");
    });
  }

  var pending = 0;
  function run() {
    var ticket = ++pending;
    var query = input.value;
    if (!index) return;
    if (!words(query).length) { results.textContent = ""; status.textContent = ""; return; }
    search(query).then(function (pages) {
      if (ticket === pending) return show(pages);
    }).catch(function () { status.textContent = form.getAttribute("data-offline"); });
  }

  load(indexURL).then(function (loaded) {
    index = loaded;
    fill(sectionSelect, index.sections);
    fill(languageSelect, index.languages);
    var params = new URLSearchParams(location.search);
    if (params.get("q")) { input.value = params.get("q"); }
    run();
  }).catch(function () { status.textContent = form.getAttribute("data-offline"); });

  var timer = 0;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  sectionSelect.addEventListener("change", run);
  languageSelect.addEventListener("change", run);
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
})();
