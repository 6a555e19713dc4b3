/*
 * The book's search worker: Material's own worker, with Chinese queries
 * segmented into whole words.
 *
 * Material's worker cuts each run of Chinese characters in a query into words
 * found in the index, but it only tries pieces shorter than the whole run, so
 * a query that is one word ("记忆") is cut down to its first character ("记")
 * and matches, and highlights, every word that starts with it. Ending each run
 * with U+3007 (〇, a Han character no indexed word contains) lets the whole
 * query be tried as a word; the mark itself is never part of a piece.
 *
 * Material starts this script in place of its worker (the `search` entry of
 * the page's `__config`, set in overrides/main.html); the name of Material's
 * worker comes as `?material=`. This listener is added first, so it sees each
 * query message (`{type: 2, data: query}`) before Material's listener reads it.
 * tests/test_search.py fails if Material's worker stops matching these facts.
 */
"use strict"

const QUERY_MESSAGE = 2
const RUN_END = "\u3007"

addEventListener("message", event => {
  const message = event.data
  if (message && message.type === QUERY_MESSAGE && typeof message.data === "string")
    message.data = message.data.replace(/\p{Script=Han}+/gu, run => run + RUN_END)
})

importScripts(new URL(location.href).searchParams.get("material"))
