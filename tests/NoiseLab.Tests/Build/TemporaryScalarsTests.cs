using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NoiseLab.Experiments;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Build;

/// <summary>
/// The shipped assemblies call none of the TorchSharp members that hand libtorch a Scalar nothing keeps alive (a
/// garbage collection on another thread can free it mid-call: docs/reliability.md). The build's banned-API list refuses
/// them at compile time; this reads the compiled assemblies' member references, so a list that stops being applied
/// (a renamed file, a project without the analyzer) fails here rather than passing in silence.
/// </summary>
public sealed class TemporaryScalarsTests
{
    public static TheoryData<string> ShippedAssemblies =>
        [typeof(NoiseSampler).Assembly.Location, typeof(RunSpec).Assembly.Location, typeof(NoiseLab.Cli.CommandRunner).Assembly.Location];

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void A_shipped_assembly_references_no_member_that_makes_a_temporary_scalar(string path)
    {
        Assert.Empty(TemporaryScalarMembers(path));
    }

    [Fact]
    public void The_check_finds_each_kind_of_temporary_in_an_assembly_that_uses_them()
    {
        // This test assembly is not under the ban and makes temporaries freely (e.g. `add_(0.1f)` in its fixtures).
        IReadOnlyList<string> found = TemporaryScalarMembers(typeof(TemporaryScalarsTests).Assembly.Location);

        Assert.Contains(found, m => m.StartsWith("TorchSharp.Scalar.op_Implicit(", StringComparison.Ordinal));
        Assert.Contains("TorchSharp.TensorExtensionMethods.ToDouble(TorchSharp.torch/Tensor)", found);
        Assert.Contains("TorchSharp.torch/Tensor.square()", found);
        Assert.Contains(found, m => m.StartsWith("TorchSharp.torch/Tensor.add_(", StringComparison.Ordinal) && !m.Contains(',', StringComparison.Ordinal));
    }

    /// <summary>Every member reference of the assembly at <paramref name="path"/> that makes a temporary Scalar, by name and parameter types.</summary>
    private static List<string> TemporaryScalarMembers(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var names = new TypeNames(reader);
        var found = new List<string>();
        foreach (MemberReferenceHandle handle in reader.MemberReferences)
        {
            MemberReference member = reader.GetMemberReference(handle);
            if (member.GetKind() != MemberReferenceKind.Method || member.Parent.Kind != HandleKind.TypeReference)
                continue;
            string type = names.Of((TypeReferenceHandle)member.Parent);
            string name = reader.GetString(member.Name);
            ImmutableArray<string> parameters = member.DecodeMethodSignature(names, genericContext: null).ParameterTypes;
            if (MakesTemporaryScalar(type, name, parameters))
                found.Add($"{type}.{name}({string.Join(",", parameters)})");
        }
        return found;
    }

    private const string Tensor = "TorchSharp.torch/Tensor";

    private static bool MakesTemporaryScalar(string type, string name, ImmutableArray<string> parameters) => (type, name) switch
    {
        ("TorchSharp.Scalar", "op_Implicit") => true,
        ("TorchSharp.TensorExtensionMethods", "ToDouble" or "ToSingle" or "ToInt64" or "ToInt32" or "ToBoolean") => parameters is [Tensor],
        (Tensor, "add" or "add_") => parameters.Length == 1,
        (Tensor, "op_Addition") => true,
        (Tensor, "op_Subtraction" or "op_Multiply" or "op_Division" or "op_Modulus") => parameters.Any(p => p != Tensor),
        // Methods that make a Scalar of a number inside themselves: square is pow(2), vector_norm's order.
        (Tensor, "square") => parameters.Length == 0,
        ("TorchSharp.torch/linalg", "vector_norm") => parameters is [Tensor, "System.Double", ..],
        _ => false,
    };

    /// <summary>Type names for signature decoding: namespace-qualified, nested types after a slash.</summary>
    private sealed class TypeNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string Of(TypeReferenceHandle handle)
        {
            TypeReference type = reader.GetTypeReference(handle);
            string name = reader.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
                return $"{Of((TypeReferenceHandle)type.ResolutionScope)}/{name}";
            string space = reader.GetString(type.Namespace);
            return space.Length == 0 ? name : $"{space}.{name}";
        }

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) =>
            metadata.GetString(metadata.GetTypeDefinition(handle).Name);

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[*]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            $"{genericType}<{string.Join(",", typeArguments)}>";

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
