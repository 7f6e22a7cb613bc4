// The curl commands of the integration guide, read out of its text as the requests curl would send.

/** Shell words of one command starting at `start`: quotes, and backslash-newline continuations. */
export function shellWords(text: string, start: number): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = start; i < text.length; ) {
    const ch = text.charAt(i);
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unclosed ${ch} in the command at offset ${start}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === "\\" && text.charAt(i + 1) === "\n") {
      i += 2;
    } else if (ch === "\n") {
      break;
    } else if (ch === " " || ch === "\t") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  line: number;
}

/** Every command of the guide that starts a line with `curl`, as the request curl would send. */
export function guideCurls(text: string): CurlRequest[] {
  const requests: CurlRequest[] = [];
  for (const match of text.matchAll(/^curl /gm)) {
    const words = shellWords(text, match.index);
    const request: CurlRequest = {
      method: "GET",
      url: "",
      headers: {},
      body: undefined,
      line: text.slice(0, match.index).split("\n").length,
    };
    const data: string[] = [];
    for (let i = 1; i < words.length; i++) {
      const word = words[i] as string;
      if (word === "-X") request.method = words[++i] as string;
      else if (word === "-H") {
        const header = words[++i] as string;
        const colon = header.indexOf(":");
        request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
      } else if (word === "-d") data.push(words[++i] as string);
      else if (word === "-s") continue;
      else if (word.startsWith("-")) throw new Error(`guide line ${request.line}: unhandled curl option ${word}`);
      else request.url = word;
    }
    if (data.length > 0) {
      request.body = data.join("&");
      request.headers["content-type"] ??= "application/x-www-form-urlencoded";
      if (request.method === "GET") request.method = "POST";
    }
    requests.push(request);
  }
  return requests;
}
