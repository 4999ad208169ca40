import { Component, type ErrorInfo, type ReactNode } from 'react'

interface State {
  error: Error | undefined
}

/** A bug in a component shows a readable message and a way out, never a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('LAN Chat UI crashed', error, info.componentStack)
  }

  override render(): ReactNode {
    const { error } = this.state
    if (error === undefined) return this.props.children
    return (
      <div className="fatal" role="alert">
        <h1>Something went wrong in the window</h1>
        <p>{error.message}</p>
        <p className="muted">Your messages are safe: they live in the chat engine, not in this window.</p>
        <button className="primary" onClick={() => location.reload()}>Reload the window</button>
      </div>
    )
  }
}
