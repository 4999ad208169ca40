/**
 * Export the diagram: the SVG as drawn (it carries its own colours, no
 * stylesheet needed), or a PNG rendered from it through a canvas.
 */

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  window.setTimeout(() => URL.revokeObjectURL(url), 1000)
}

function serialize(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  return new XMLSerializer().serializeToString(copy)
}

export function exportSvg(svg: SVGSVGElement, name: string): void {
  download(new Blob([serialize(svg)], { type: 'image/svg+xml' }), `${name}.svg`)
}

export async function exportPng(svg: SVGSVGElement, name: string, scale = 2): Promise<void> {
  const width = Number(svg.getAttribute('width'))
  const height = Number(svg.getAttribute('height'))
  // A data: URL, as the CSP allows images from data: (not blob:).
  const image = new Image()
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(serialize(svg))}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = width * scale
  canvas.height = height * scale
  const ctx = canvas.getContext('2d')
  if (ctx === null) throw new Error('This window cannot draw a PNG (no 2D canvas).')
  ctx.scale(scale, scale)
  ctx.drawImage(image, 0, 0)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
  if (blob === null) throw new Error('The PNG could not be made.')
  download(blob, `${name}.png`)
}
