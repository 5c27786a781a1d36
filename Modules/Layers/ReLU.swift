import BackpropTensor

/// The rectified linear unit, `max(x, 0)` element-wise.
public final class ReLU<Scalar: TensorScalar>: Layer {
    private var output = Tensor<Scalar>(zeros: [0, 0])
    // The output of the pass before: the next layer (a `Linear`) keeps the output it was given for its
    // backward pass until its next forward, so writing into that same buffer would copy it on write (a
    // 20 KB allocation and copy per A2 step, 1 µs). Two buffers in turn are each free when written.
    private var spare = Tensor<Scalar>(zeros: [0, 0])
    // The input gradient lives in a buffer of our own: changing `g` in place would copy it (the next
    // layer keeps its reference), one allocation per step.
    private var inputGradient = Tensor<Scalar>(zeros: [0, 0])

    public init() {}

    public var description: String { "ReLU" }

    public func forward(_ x: Tensor<Scalar>, context: inout ForwardContext) -> Tensor<Scalar> {
        // Copy into a buffer of our own: `output = x` would share the previous layer's buffer and make
        // that layer reallocate on its next forward pass.
        swap(&output, &spare)
        output.resize(to: x.shape)
        let n = output.count
        x.scalars.withUnsafeBufferPointer { source in
            output.scalars.withUnsafeMutableBufferPointer { y in
                guard n > 0 else { return }
                Scalar.relu(source.baseAddress!, into: y.baseAddress!, count: n)
            }
        }
        return output
    }

    public func backward(_ g: Tensor<Scalar>, needsInputGradient: Bool) -> Tensor<Scalar> {
        // The derivative is 1 where the output is positive, 0 elsewhere (0 at x = 0, as PyTorch).
        inputGradient.resize(to: g.shape)
        let n = inputGradient.count
        g.scalars.withUnsafeBufferPointer { source in
            output.scalars.withUnsafeBufferPointer { y in
                inputGradient.scalars.withUnsafeMutableBufferPointer { d in
                    guard n > 0 else { return }
                    Scalar.reluBackward(
                        output: y.baseAddress!, gradient: source.baseAddress!, into: d.baseAddress!, count: n)
                }
            }
        }
        return inputGradient
    }
}
