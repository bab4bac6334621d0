// A strict XML reader for tests (saxes, the parser jsdom reads XML with): a malformed document throws,
// a well-formed one comes back as a small tree of elements, attributes and text.
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser();
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const open: XmlElement[] = [document];
  let failure: Error | undefined;
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: Object.fromEntries(Object.entries(tag.attributes).map(([key, value]) => [key, String(value)])), children: [], text: '' };
    open.at(-1)!.children.push(element);
    open.push(element);
  });
  parser.on('closetag', () => void open.pop());
  parser.on('text', (chunk) => (open.at(-1)!.text += chunk));
  parser.on('error', (error) => (failure ??= error));
  parser.write(text).close();
  if (failure) throw failure;
  if (document.children.length !== 1) throw new Error(`expected one root element, found ${document.children.length}`);
  return document.children[0];
}

/** Every element named `name` under `element`, in document order. */
export function elementsNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...elementsNamed(child, name)]);
}
